package org.campusedge.agent.access;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The school's holidays: single days and ranges, each with a name. Looked up per decision in
 * constant time (every day of every range is indexed).
 */
public final class HolidayCalendar {

    /** The longest range one holiday may span; a longer one is almost certainly a typo in a year. */
    public static final int MAX_DAYS = 366;

    /**
     * One holiday.
     *
     * @param name e.g. {@code National Day Golden Week}
     * @param from first day
     * @param to   last day, inclusive; the same as {@code from} for a single day
     */
    public record Holiday(String name, LocalDate from, LocalDate to) {
        public Holiday {
            Objects.requireNonNull(name, "name");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("holiday \"" + name + "\" ends " + to + ", before it starts " + from);
            }
            if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
                throw new IllegalArgumentException("holiday \"" + name + "\" spans more than " + MAX_DAYS + " days");
            }
        }
    }

    private static final HolidayCalendar NONE = new HolidayCalendar(List.of());

    private final List<Holiday> holidays;
    private final Map<LocalDate, Holiday> byDay;

    public HolidayCalendar(List<Holiday> holidays) {
        this.holidays = List.copyOf(holidays);
        Map<LocalDate, Holiday> m = new HashMap<>();
        for (Holiday h : holidays) {
            for (LocalDate d = h.from(); !d.isAfter(h.to()); d = d.plusDays(1)) {
                m.putIfAbsent(d, h);
            }
        }
        this.byDay = Map.copyOf(m);
    }

    public static HolidayCalendar none() {
        return NONE;
    }

    public boolean isHoliday(LocalDate day) {
        return byDay.containsKey(day);
    }

    /** The holiday {@code day} falls in, the first listed when ranges overlap. */
    public Optional<Holiday> holiday(LocalDate day) {
        return Optional.ofNullable(byDay.get(day));
    }

    public List<Holiday> holidays() {
        return holidays;
    }
}
