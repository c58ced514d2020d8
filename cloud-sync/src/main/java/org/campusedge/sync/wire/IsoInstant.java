package org.campusedge.sync.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants in UTC ({@code 2025-03-01T08:15:30.250Z}) read and written without
 * {@link java.time.format.DateTimeFormatter}, which cost the data center more CPU per event than
 * the rest of a batch's JSON. Reads exactly what {@link Instant#parse} reads; the common shape
 * ({@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z}) takes a direct path, anything else goes to
 * {@link Instant#parse}. Stateless and thread-safe.
 */
public final class IsoInstant {

    private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;
    /** Nine fraction digits; writes the years the direct path does not. */
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private IsoInstant() {
    }

    /**
     * The instant {@code text} names.
     *
     * @throws DateTimeParseException as {@link Instant#parse} would
     */
    public static Instant parse(String text) {
        return parse((CharSequence) text);
    }

    /**
     * The instant {@code text} names, for a caller that has the characters but no String yet.
     *
     * @throws DateTimeParseException as {@link Instant#parse} would
     */
    static Instant parse(CharSequence text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(text);
            }
            int f = digits(text, 20, fraction);
            nanos = f < 0 ? -1 : f * POWERS[9 - fraction];
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || nanos < 0) {
            return Instant.parse(text); // leap seconds, 24:00 and errors take the general path and its message
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Instant.parse(text);
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** Appends {@code t} as {@link Instant#toString()} writes it (fraction of 0, 3, 6 or 9 digits). */
    public static StringBuilder append(StringBuilder b, Instant t) {
        int nanos = t.getNano();
        int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        return fast(t) ? append(b, t, digits) : b.append(t);
    }

    /** Appends {@code t} with exactly nine fraction digits, so that text order is time order. */
    public static StringBuilder appendNanos(StringBuilder b, Instant t) {
        if (!fast(t)) {
            return b.append(NANOS.format(t));
        }
        return append(b, t, 9);
    }

    /** Whether {@code t} falls in years 0000..9999, the four-digit years the direct path writes. */
    private static boolean fast(Instant t) {
        return t.getEpochSecond() >= YEAR_0 && t.getEpochSecond() < YEAR_10000;
    }

    private static StringBuilder append(StringBuilder b, Instant t, int fractionDigits) {
        long seconds = t.getEpochSecond();
        int secondOfDay = Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        pad(b, date.getYear(), 4).append('-');
        pad(b, date.getMonthValue(), 2).append('-');
        pad(b, date.getDayOfMonth(), 2).append('T');
        pad(b, secondOfDay / 3_600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2);
        if (fractionDigits > 0) {
            b.append('.');
            pad(b, t.getNano() / POWERS[9 - fractionDigits], fractionDigits);
        }
        return b.append('Z');
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        for (int p = POWERS[width - 1]; p > 1 && value < p; p /= 10) {
            b.append('0');
        }
        return b.append(value);
    }

    /** The non-negative number in {@code text[from, from + count)}, or -1 if a character is not an ASCII digit. */
    private static int digits(CharSequence text, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
