package org.campusedge.sync.downlink;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly window as the downlink carries it, written as in the agent's {@code access:} section:
 * {@code {"groups":["media-club"],"days":["mon-fri"],"from":"15:30","to":"17:30","onHolidays":false}}.
 * {@code groups} is used by schedule rules and must be empty in a room's open hours. Validates
 * itself: days are {@code mon..sun} or ranges such as {@code mon-fri} (wrapping: {@code fri-mon}),
 * times {@code HH:MM} with {@code 24:00} allowed as an end; a window ending at or before its start
 * crosses midnight.
 */
public record WindowSpec(List<String> groups, List<String> days, String from, String to, Boolean onHolidays) {

    /** Minutes in a day. */
    public static final int DAY_MINUTES = 24 * 60;
    private static final Pattern TIME = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    public WindowSpec {
        groups = groups == null ? List.of() : groups.stream().map(g -> g.trim().toLowerCase(Locale.ROOT)).toList();
        days = days == null || days.isEmpty() ? List.of("mon-sun") : List.copyOf(days);
        from = from == null ? "00:00" : from.trim();
        to = to == null ? "24:00" : to.trim();
        onHolidays = onHolidays != null && onHolidays;
        for (String g : groups) {
            if (!GROUP.matcher(g).matches()) {
                throw new IllegalArgumentException("groups: \"" + g + "\" is not a group name (1-64 letters, digits, '.', '_' or '-')");
            }
        }
        dayMask(days);
        if (minute(from, false, "from") == minute(to, true, "to")) {
            throw new IllegalArgumentException("to: the window from " + from + " to " + to + " is empty; write 00:00 to 24:00 for the whole day");
        }
    }

    /** The weekdays the window starts on. */
    @JsonIgnore
    public Set<DayOfWeek> weekdays() {
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        int mask = dayMask(days);
        for (DayOfWeek d : DayOfWeek.values()) {
            if ((mask & (1 << (d.getValue() - 1))) != 0) {
                set.add(d);
            }
        }
        return set;
    }

    @JsonIgnore
    public int fromMinute() {
        return minute(from, false, "from");
    }

    @JsonIgnore
    public int toMinute() {
        return minute(to, true, "to");
    }

    private static int dayMask(List<String> days) {
        int mask = 0;
        for (String item : days) {
            String s = item.trim().toLowerCase(Locale.ROOT);
            int dash = s.indexOf('-');
            if (dash < 0) {
                mask |= 1 << day(s, item);
                continue;
            }
            int first = day(s.substring(0, dash).trim(), item);
            int last = day(s.substring(dash + 1).trim(), item);
            for (int d = first; ; d = (d + 1) % 7) {
                mask |= 1 << d;
                if (d == last) {
                    break;
                }
            }
        }
        return mask;
    }

    private static int day(String name, String item) {
        int i = DAY_NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("days: \"" + item + "\" is not a day (mon, tue, wed, thu, fri, sat, sun, or a range like mon-fri)");
        }
        return i;
    }

    private static int minute(String text, boolean endOfDay, String field) {
        Matcher m = TIME.matcher(text);
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if (h < 24 && min < 60) {
                return h * 60 + min;
            }
            if (endOfDay && h == 24 && min == 0) {
                return DAY_MINUTES;
            }
        }
        throw new IllegalArgumentException(field + ": \"" + text + "\" is not a time HH:MM (00:00 to 23:59"
                + (endOfDay ? ", or 24:00" : "") + ")");
    }
}
