package org.campusedge.agent.config;

import org.campusedge.agent.access.AccessPolicy;
import org.campusedge.agent.access.AccessRule;
import org.campusedge.agent.access.HolidayCalendar;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.access.RoomPolicy;
import org.campusedge.agent.access.TimeWindow;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code access:} section of an agent file into an {@link AccessPolicy}: room timetables
 * keyed by room id, the holiday calendar and the lockdown-exempt groups. Every error names the key,
 * e.g. {@code access.rooms.maker-1.rules[0].from: "25:00" is not a time HH:MM}.
 */
final class AccessConfigLoader {

    private static final Pattern TIME = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final String DAYS_HINT = "mon, tue, wed, thu, fri, sat, sun, or a range like mon-fri";

    private AccessConfigLoader() {
    }

    static AccessPolicy load(ConfigNode access, List<RoomConfig> rooms) throws ConfigException {
        Set<String> exempt = groups(access, "lockdown-exempt-groups", false);
        HolidayCalendar holidays = holidays(access);
        ConfigNode roomsNode = access.section("rooms");
        Map<String, RoomPolicy> policies = new HashMap<>();
        for (RoomConfig room : rooms) {
            // Reading every room id, present or not, lets an unknown id be reported with the known ones.
            boolean configured = roomsNode.has(room.id());
            ConfigNode n = roomsNode.section(room.id());
            if (configured) {
                policies.put(room.id(), room(n, room));
            }
        }
        return new AccessPolicy(policies, holidays, exempt);
    }

    private static RoomPolicy room(ConfigNode n, RoomConfig room) throws ConfigException {
        List<TimeWindow> openHours = new ArrayList<>();
        for (ConfigNode w : n.sections("open-hours")) {
            openHours.add(window(w));
        }
        List<AccessRule> rules = new ArrayList<>();
        for (ConfigNode r : n.sections("rules")) {
            Set<String> groups = groups(r, "groups", true);
            rules.add(new AccessRule(groups, window(r)));
        }
        return new RoomPolicy(room.id(), rules, openHours, n.bool("anti-passback", false), room.capacity());
    }

    private static TimeWindow window(ConfigNode n) throws ConfigException {
        Set<DayOfWeek> days = days(n);
        int from = time(n, "from", "00:00", false);
        int to = time(n, "to", "24:00", true);
        if (from == to) {
            throw n.error("to", "the window from " + n.string("from", "00:00") + " to " + n.string("to", "24:00")
                    + " is empty; write from: \"00:00\" and to: \"24:00\" for the whole day");
        }
        return new TimeWindow(days, from, to, n.bool("on-holidays", false));
    }

    /** Minutes after midnight of an {@code HH:MM} value; {@code 24:00} only where {@code endOfDay} allows it. */
    private static int time(ConfigNode n, String key, String defaultValue, boolean endOfDay) throws ConfigException {
        String text = n.string(key, defaultValue).trim();
        Matcher m = TIME.matcher(text);
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if (h < 24 && min < 60) {
                return h * 60 + min;
            }
            if (endOfDay && h == 24 && min == 0) {
                return TimeWindow.DAY_MINUTES;
            }
        }
        throw n.error(key, "\"" + text + "\" is not a time HH:MM (00:00 to 23:59" + (endOfDay ? ", or 24:00" : "") + ")");
    }

    private static Set<DayOfWeek> days(ConfigNode n) throws ConfigException {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : n.stringList("days", List.of("mon-sun"))) {
            String s = item.trim().toLowerCase(Locale.ROOT);
            int dash = s.indexOf('-');
            if (dash < 0) {
                days.add(day(n, s, item));
                continue;
            }
            DayOfWeek first = day(n, s.substring(0, dash).trim(), item);
            DayOfWeek last = day(n, s.substring(dash + 1).trim(), item);
            // A range may wrap over the weekend, e.g. fri-mon.
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        if (days.isEmpty()) {
            throw n.error("days", "names no day (" + DAYS_HINT + ")");
        }
        return days;
    }

    private static DayOfWeek day(ConfigNode n, String name, String item) throws ConfigException {
        int i = DAY_NAMES.indexOf(name);
        if (i < 0) {
            throw n.error("days", "\"" + item + "\" is not a day (" + DAYS_HINT + ")");
        }
        return DayOfWeek.of(i + 1);
    }

    private static Set<String> groups(ConfigNode n, String key, boolean required) throws ConfigException {
        Set<String> groups = new LinkedHashSet<>();
        for (String raw : n.stringList(key, List.of())) {
            String g = Permission.normaliseGroup(raw);
            if (!Permission.isGroupName(g)) {
                throw n.error(key, "\"" + raw + "\" is not a group name (1-64 letters, digits, '.', '_' or '-')");
            }
            groups.add(g);
        }
        if (required && groups.isEmpty()) {
            throw n.error(key, "is required: the groups this rule lets in, e.g. [grade-8, media-club]");
        }
        return groups;
    }

    private static HolidayCalendar holidays(ConfigNode access) throws ConfigException {
        List<HolidayCalendar.Holiday> holidays = new ArrayList<>();
        for (ConfigNode h : access.sections("holidays")) {
            String name = h.requiredString("name");
            LocalDate from;
            LocalDate to;
            if (h.has("date")) {
                if (h.has("from") || h.has("to")) {
                    throw h.error("date", "set either date (one day) or from and to (a range), not both");
                }
                from = date(h, "date");
                to = from;
            } else {
                if (!h.has("from") || !h.has("to")) {
                    throw h.error(h.has("from") ? "to" : "from", "is required: give date for one day, or from and to for a range");
                }
                from = date(h, "from");
                to = date(h, "to");
                if (to.isBefore(from)) {
                    throw h.error("to", to + " is before from " + from);
                }
                if (ChronoUnit.DAYS.between(from, to) >= HolidayCalendar.MAX_DAYS) {
                    throw h.error("to", "a holiday spans at most " + HolidayCalendar.MAX_DAYS + " days, "
                            + from + " to " + to + " is longer");
                }
            }
            holidays.add(new HolidayCalendar.Holiday(name, from, to));
        }
        return new HolidayCalendar(holidays);
    }

    private static LocalDate date(ConfigNode n, String key) throws ConfigException {
        String text = n.string(key, "").trim();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw n.error(key, "\"" + text + "\" is not a date YYYY-MM-DD");
        }
    }
}
