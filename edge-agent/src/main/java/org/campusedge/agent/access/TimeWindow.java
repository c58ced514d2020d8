package org.campusedge.agent.access;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A weekly window of wall-clock time in the school's time zone, e.g. Monday to Friday 15:30–17:30.
 * A window whose end is not after its start crosses midnight ({@code 22:00}–{@code 02:00}): it
 * belongs to the day it starts on, so weekdays and holidays are judged for that day. Times are
 * wall-clock: on a daylight-saving change day a window covers the local times it names, so it may
 * last an hour more or less, and a window inside the skipped hour never opens.
 */
public final class TimeWindow {

    /** Minutes in a day; {@code to} may be 24:00. */
    public static final int DAY_MINUTES = 24 * 60;

    /** What a window says about one instant. */
    public enum Match {
        /** The window is open now. */
        OPEN,
        /** The window would be open now, but it started on a holiday and does not apply on holidays. */
        HOLIDAY,
        /** The window is closed now. */
        CLOSED
    }

    private final Set<DayOfWeek> days;
    private final int dayMask;
    private final int fromMinute;
    private final int toMinute;
    private final boolean onHolidays;

    /**
     * @param days       weekdays the window starts on; not empty
     * @param fromMinute start, minutes after midnight, 0..1439
     * @param toMinute   end (exclusive), minutes after midnight, 1..1440; at or before {@code from} crosses midnight
     * @param onHolidays whether the window also opens on a school holiday
     */
    public TimeWindow(Set<DayOfWeek> days, int fromMinute, int toMinute, boolean onHolidays) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one day");
        }
        if (fromMinute < 0 || fromMinute >= DAY_MINUTES || toMinute < 1 || toMinute > DAY_MINUTES) {
            throw new IllegalArgumentException("window " + fromMinute + ".." + toMinute + " is not within a day");
        }
        if (fromMinute == toMinute) {
            throw new IllegalArgumentException("a window from " + hhmm(fromMinute) + " to the same time is empty;"
                    + " write 00:00 to 24:00 for the whole day");
        }
        this.days = Set.copyOf(EnumSet.copyOf(days));
        int mask = 0;
        for (DayOfWeek d : days) {
            mask |= bit(d);
        }
        this.dayMask = mask;
        this.fromMinute = fromMinute;
        this.toMinute = toMinute;
        this.onHolidays = onHolidays;
    }

    /** Every day, all day, holidays included. */
    public static TimeWindow always() {
        return new TimeWindow(EnumSet.allOf(DayOfWeek.class), 0, DAY_MINUTES, true);
    }

    /**
     * Whether the window is open at local date {@code date}, {@code secondOfDay} seconds after
     * its midnight.
     */
    public Match match(LocalDate date, int secondOfDay, HolidayCalendar holidays) {
        boolean holidayBlocked = false;
        DayOfWeek today = date.getDayOfWeek();
        // The occurrence that started today.
        if ((dayMask & bit(today)) != 0 && secondOfDay >= fromMinute * 60
                && (crossesMidnight() || secondOfDay < toMinute * 60)) {
            if (onHolidays || !holidays.isHoliday(date)) {
                return Match.OPEN;
            }
            holidayBlocked = true;
        }
        // The occurrence that started yesterday evening and runs past midnight.
        if (crossesMidnight() && secondOfDay < toMinute * 60 && (dayMask & bit(today.minus(1))) != 0) {
            if (onHolidays || !holidays.isHoliday(date.minusDays(1))) {
                return Match.OPEN;
            }
            holidayBlocked = true;
        }
        return holidayBlocked ? Match.HOLIDAY : Match.CLOSED;
    }

    public boolean crossesMidnight() {
        return toMinute <= fromMinute;
    }

    public Set<DayOfWeek> days() {
        return days;
    }

    public int fromMinute() {
        return fromMinute;
    }

    public int toMinute() {
        return toMinute;
    }

    public boolean onHolidays() {
        return onHolidays;
    }

    private static int bit(DayOfWeek d) {
        return 1 << (d.getValue() - 1);
    }

    private static String hhmm(int minute) {
        return minute == DAY_MINUTES ? "24:00" : LocalTime.of(minute / 60, minute % 60).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeWindow w && w.dayMask == dayMask && w.fromMinute == fromMinute
                && w.toMinute == toMinute && w.onHolidays == onHolidays;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dayMask, fromMinute, toMinute, onHolidays);
    }

    @Override
    public String toString() {
        return days + " " + hhmm(fromMinute) + "-" + hhmm(toMinute) + (onHolidays ? " incl. holidays" : "");
    }
}
