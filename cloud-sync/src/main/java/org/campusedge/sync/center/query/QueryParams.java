package org.campusedge.sync.center.query;

import org.campusedge.sync.center.EventQuery;
import org.campusedge.sync.http.HttpRequestView;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query parameters of one request, checked before anything touches the store: only the
 * names a route knows, each at most once and at most {@link #MAX_VALUE} characters, dates that
 * parse, ranges the configuration allows. Every refusal is a {@link BadQueryException} naming the
 * parameter. Not thread-safe: one per request.
 */
final class QueryParams {

    static final int MAX_VALUE = 256;

    private final Map<String, List<String>> query;

    private QueryParams(Map<String, List<String>> query) {
        this.query = query;
    }

    /** The request's parameters, refusing names outside {@code known} and repeated ones. */
    static QueryParams of(HttpRequestView request, Set<String> known) throws BadQueryException {
        for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new BadQueryException("unknown parameter \"" + clip(e.getKey()) + "\"; this resource takes "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
            if (e.getValue().size() > 1) {
                throw new BadQueryException(e.getKey() + " is given " + e.getValue().size() + " times; give it once");
            }
            if (e.getValue().get(0).length() > MAX_VALUE) {
                throw new BadQueryException(e.getKey() + " is longer than " + MAX_VALUE + " characters");
            }
        }
        return new QueryParams(request.query());
    }

    Optional<String> text(String name) {
        List<String> v = query.get(name);
        return v == null || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** One of {@code allowed}, or {@code fallback} when absent. */
    String choice(String name, List<String> allowed, String fallback) throws BadQueryException {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(v.get())) {
            throw new BadQueryException(name + " must be one of " + String.join(", ", allowed) + ", got \"" + clip(v.get()) + "\"");
        }
        return v.get();
    }

    int integer(String name, int fallback, int min, int max) throws BadQueryException {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Answered below, like an out-of-range number.
        }
        throw new BadQueryException(name + " must be a whole number from " + min + " to " + max + ", got \"" + clip(v.get()) + "\"");
    }

    /** A day, {@code 2026-09-01}. */
    Optional<LocalDate> date(String name) throws BadQueryException {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new BadQueryException(name + " must be a date such as 2026-09-01, got \"" + clip(v.get()) + "\"");
        }
    }

    /**
     * A moment: an ISO-8601 instant ({@code 2026-09-01T08:00:00Z}) or a day in {@code zone}, which
     * means its start, or for an end ({@code endOfDay}) the start of the next day.
     */
    Optional<Instant> moment(String name, ZoneId zone, boolean endOfDay) throws BadQueryException {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (v.get().length() == 10) {
                LocalDate day = LocalDate.parse(v.get());
                return Optional.of((endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant());
            }
            return Optional.of(Instant.parse(v.get()));
        } catch (java.time.DateTimeException e) {
            throw new BadQueryException(name + " must be a date (2026-09-01) or an instant (2026-09-01T08:00:00Z), got \""
                    + clip(v.get()) + "\"");
        }
    }

    /** Refuses an end before its start, or a range longer than {@code maxDays}. */
    static void checkRange(Instant from, Instant to, int maxDays) throws BadQueryException {
        if (to.isBefore(from)) {
            throw new BadQueryException("to (" + to + ") is before from (" + from + ")");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(maxDays).plusHours(1)) > 0) {
            throw new BadQueryException("from..to spans more than " + maxDays + " days (queries.max-range-days); ask for less");
        }
    }

    /** The {@code after} cursor of the next page, as {@link #encode} wrote it. */
    Optional<EventQuery.Cursor> cursor(String name) throws BadQueryException {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(v.get()), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 4) {
                return Optional.of(new EventQuery.Cursor(Instant.parse(parts[0]), parts[1], parts[2], Long.parseLong(parts[3])));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // Answered below.
        }
        throw new BadQueryException(name + " is not a cursor this server gave out (use the \"next\" of the previous page)");
    }

    static String encode(EventQuery.Cursor c) {
        String text = c.occurredAt() + "\n" + c.device() + "\n" + c.stream() + "\n" + c.seq();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** At most 64 characters of what the client sent, for messages. */
    static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
