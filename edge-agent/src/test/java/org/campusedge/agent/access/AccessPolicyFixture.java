package org.campusedge.agent.access;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small school for policy tests, in Asia/Shanghai (UTC+8, no daylight saving):
 * <ul>
 *   <li>maker-1: capacity 3, anti-passback; open-hours Mon–Fri 07:30–18:00; grade-8 Mon–Fri 15:30–17:30;
 *       staff every day all day, holidays too; robotics-team Fridays 22:00–02:00 (over midnight)</li>
 *   <li>studio-1: no policy (allow-list only, as before)</li>
 *   <li>holidays: National Day Golden Week 2026-10-01..07, New Year's Day 2027-01-01 (a Friday)</li>
 *   <li>lockdown-exempt: security</li>
 * </ul>
 */
final class AccessPolicyFixture {

    static final String GRADE_8 = "0A00000001";
    static final String NAMED = "0A00000002";
    static final String STAFF = "0A00000003";
    static final String ROBOTICS = "0A00000004";
    static final String EXPIRED = "0A00000005";
    static final String NOT_YET = "0A00000006";
    static final String SECURITY = "0A00000007";
    static final String MEDIA = "0A00000008";
    static final String UNKNOWN = "FFFFFFFFFF";

    static final int MAKER_CAPACITY = 3;

    private AccessPolicyFixture() {
    }

    static Permission card(String id, Set<String> rooms, boolean all, Set<String> groups) {
        return new Permission(id, "P-" + id.substring(6), rooms, all, Optional.empty(), Optional.empty(), groups);
    }

    static AllowList allowList() {
        return AllowList.of(1, List.of(
                card(GRADE_8, Set.of(), false, Set.of("grade-8")),
                card(NAMED, Set.of("maker-1", "studio-1"), false, Set.of()),
                card(STAFF, Set.of(), true, Set.of("staff")),
                card(ROBOTICS, Set.of(), false, Set.of("robotics-team", "grade-8")),
                new Permission(EXPIRED, "P-expired", Set.of("maker-1"), false, Optional.empty(),
                        Optional.of(LocalDate.parse("2026-07-15")), Set.of("grade-8")),
                new Permission(NOT_YET, "P-not-yet", Set.of("maker-1"), false,
                        Optional.of(LocalDate.parse("2027-02-01")), Optional.empty(), Set.of("grade-8")),
                card(SECURITY, Set.of("maker-1"), false, Set.of("security")),
                card(MEDIA, Set.of(), false, Set.of("media-club"))));
    }

    static TimeWindow window(Set<DayOfWeek> days, String from, String to, boolean onHolidays) {
        return new TimeWindow(days, minute(from), minute(to), onHolidays);
    }

    static int minute(String hhmm) {
        return hhmm.equals("24:00") ? TimeWindow.DAY_MINUTES : LocalTime.parse(hhmm).toSecondOfDay() / 60;
    }

    static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);

    static HolidayCalendar holidays() {
        return new HolidayCalendar(List.of(
                new HolidayCalendar.Holiday("National Day Golden Week", LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-07")),
                new HolidayCalendar.Holiday("New Year's Day", LocalDate.parse("2027-01-01"), LocalDate.parse("2027-01-01"))));
    }

    static RoomPolicy maker(int capacity) {
        return new RoomPolicy("maker-1", List.of(
                new AccessRule(Set.of("grade-8"), window(WEEKDAYS, "15:30", "17:30", false)),
                new AccessRule(Set.of("staff"), window(EVERY_DAY, "00:00", "24:00", true)),
                new AccessRule(Set.of("robotics-team"), window(EnumSet.of(DayOfWeek.FRIDAY), "22:00", "02:00", false))),
                List.of(window(WEEKDAYS, "07:30", "18:00", false)), true, capacity);
    }

    static AccessPolicy policy() {
        return new AccessPolicy(Map.of("maker-1", maker(MAKER_CAPACITY)), holidays(), Set.of("security"));
    }
}
