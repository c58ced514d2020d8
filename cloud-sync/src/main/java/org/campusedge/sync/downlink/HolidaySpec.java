package org.campusedge.sync.downlink;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A school holiday as the downlink carries it (the key is the holiday's id):
 * {@code {"name":"National Day","from":"2026-10-01","to":"2026-10-07"}}; {@code to} defaults to
 * {@code from}.
 */
public record HolidaySpec(String name, LocalDate from, LocalDate to) {

    /** The longest range one holiday may span, as on the box. */
    public static final int MAX_DAYS = 366;

    public HolidaySpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        if (from == null) {
            throw new IllegalArgumentException("from is required (the first day, YYYY-MM-DD)");
        }
        to = to == null ? from : to;
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new IllegalArgumentException("a holiday spans at most " + MAX_DAYS + " days, " + from + " to " + to + " is longer");
        }
    }
}
