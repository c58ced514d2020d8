package org.campusedge.agent.http;

import org.campusedge.sync.http.HttpRequestView;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Checks of query parameters for the room history and alarm routes. Each failure is an
 * {@link IllegalArgumentException} whose message names the parameter and what it must be; the
 * route answers it as a 400. Values are echoed back only through {@link #printable}.
 */
final class QueryParams {

    /** Room, sensor and rule ids as configuration and topics spell them. */
    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";

    private QueryParams() {
    }

    /** An optional id-like parameter: 1-128 letters, digits, '.', '_', ':', '@' or '-'. */
    static Optional<String> id(HttpRequestView req, String name) {
        return req.queryParam(name).map(s -> {
            if (!s.matches(ID)) {
                throw new IllegalArgumentException(name + " must be 1-128 letters, digits, '.', '_', ':', '@' or '-', got \""
                        + printable(s) + "\"");
            }
            return s;
        });
    }

    /** A whole number in [{@code min}, {@code max}], or {@code absent}. */
    static int integer(HttpRequestView req, String name, int absent, int min, int max) {
        Optional<String> s = req.queryParam(name);
        if (s.isEmpty()) {
            return absent;
        }
        int v;
        try {
            v = Integer.parseInt(s.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number within " + min + ".." + max + ", got \""
                    + printable(s.get()) + "\"");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    /** {@code true} or {@code false}, or {@code absent}. */
    static boolean bool(HttpRequestView req, String name, boolean absent) {
        Optional<String> s = req.queryParam(name);
        if (s.isEmpty()) {
            return absent;
        }
        return switch (s.get()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got \"" + printable(s.get()) + "\"");
        };
    }

    /** An ISO-8601 instant, or {@code absent}. */
    static Instant instant(HttpRequestView req, String name, Instant absent) {
        Optional<String> s = req.queryParam(name);
        if (s.isEmpty()) {
            return absent;
        }
        try {
            return Instant.parse(s.get());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant like 2026-11-29T08:00:00Z, got \""
                    + printable(s.get()) + "\"");
        }
    }

    /** Echoes a value back safely: at most 64 characters, nothing but printable ASCII. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7E…]", "?");
    }
}
