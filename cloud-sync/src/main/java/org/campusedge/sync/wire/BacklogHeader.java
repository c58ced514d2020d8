package org.campusedge.sync.wire;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@value Backlog#HEADER} request header: a comma-separated list of
 * {@code stream=events[;oldestUnsentAt]}, e.g.
 * {@code priority=0, aggregates=12;2025-03-01T08:00:00Z, readings=50000;2025-02-28T07:00:00.250Z}.
 * The time is an ISO-8601 instant in UTC (box time) and present only when {@code events > 0}.
 * Whitespace around items is ignored, as in any list-valued header (RFC 9110 section 5.6.1).
 *
 * <p>Why a header and not a field of the batch: every request a box makes (uploads, gap
 * declarations, marks, downlink long-polls, which have no body) can carry it alike, the ingest
 * decoder's hot path stays untouched, and a center that predates it ignores it.
 *
 * <p>Stateless and thread-safe.
 */
public final class BacklogHeader {

    private BacklogHeader() {
    }

    /** The header value for {@code backlog}; an empty backlog is the empty string. */
    public static String encode(Backlog backlog) {
        StringBuilder b = new StringBuilder();
        backlog.streams().forEach((name, s) -> {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(name).append('=').append(s.events());
            s.oldestUnsentAt().ifPresent(t -> IsoInstant.append(b.append(';'), t));
        });
        return b.toString();
    }

    /**
     * Reads a header value.
     *
     * @throws WireFormatException naming the header and the item at fault
     */
    public static Backlog decode(String value) throws WireFormatException {
        if (value == null || value.isBlank()) {
            throw bad("must list at least one stream as stream=events[;oldestUnsentAt]");
        }
        Map<String, Backlog.Stream> streams = new LinkedHashMap<>();
        String[] items = value.split(",", -1);
        if (items.length > Backlog.MAX_STREAMS) {
            throw bad("names more than " + Backlog.MAX_STREAMS + " streams");
        }
        for (String raw : items) {
            String item = raw.strip();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw bad("item \"" + shorten(item) + "\" is not stream=events[;oldestUnsentAt]");
            }
            String name = item.substring(0, eq);
            if (!IngestBatch.STREAM_NAME.matcher(name).matches()) {
                throw bad("stream \"" + shorten(name) + "\" must match " + IngestBatch.STREAM_NAME);
            }
            String rest = item.substring(eq + 1);
            int semi = rest.indexOf(';');
            String count = semi < 0 ? rest : rest.substring(0, semi);
            if (!count.matches("\\d{1,13}")) {
                throw bad("stream " + name + ": events must be a whole number 0.." + Backlog.MAX_EVENTS + ", got \"" + shorten(count) + "\"");
            }
            long events = Long.parseLong(count);
            Optional<Instant> oldest = Optional.empty();
            if (semi >= 0) {
                String time = rest.substring(semi + 1);
                try {
                    oldest = Optional.of(IsoInstant.parse(time));
                } catch (DateTimeParseException e) {
                    throw bad("stream " + name + ": the oldest unsent time must be an ISO-8601 instant such as "
                            + "2025-03-01T08:15:30.250Z, got \"" + shorten(time) + "\"");
                }
            }
            if (streams.containsKey(name)) {
                throw bad("stream " + name + " is listed twice");
            }
            try {
                streams.put(name, new Backlog.Stream(events, oldest));
            } catch (IllegalArgumentException e) {
                throw bad("stream " + name + ": " + e.getMessage());
            }
        }
        return new Backlog(streams);
    }

    private static WireFormatException bad(String reason) {
        return new WireFormatException(Backlog.HEADER + ": " + reason, null);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
