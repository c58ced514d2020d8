package org.campusedge.agent.cli;

import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AccessPolicy;
import org.campusedge.agent.access.AccessRule;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.Direction;
import org.campusedge.agent.access.HolidayCalendar;
import org.campusedge.agent.access.OccupancyView;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.access.RoomPolicy;
import org.campusedge.agent.access.TimeWindow;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic school for {@code bench decision}: tens of thousands of students in grades and
 * clubs, a timetable for a studio, a robotics lab and a maker space, a holiday calendar, rooms
 * part full and some cards inside. Seeded, so runs compare.
 */
final class BenchSchool {

    /** One tap to decide. */
    record Tap(String card, String room, Direction direction, Instant at) {
    }

    private static final List<String> ROOMS = List.of("studio-1", "robotics-1", "maker-1");
    private static final List<String> CLUBS = List.of("media-club", "robotics-team", "maker-club", "choir", "chess");
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    private final Random random = new Random(17);
    private final ZoneId zone;
    private final List<Permission> permissions = new ArrayList<>();
    private final AccessPolicy policy;
    private final MapOccupancy occupancy = new MapOccupancy();
    private final List<Tap> inside = new ArrayList<>();

    BenchSchool(int cards, ZoneId zone) {
        this.zone = zone;
        for (int i = 0; i < cards; i++) {
            Set<String> groups = new HashSet<>();
            boolean staff = i % 20 == 0;
            if (staff) {
                groups.add("staff");
            } else {
                groups.add("grade-" + (7 + i % 3));
                if (random.nextInt(3) == 0) {
                    groups.add(CLUBS.get(random.nextInt(CLUBS.size())));
                }
            }
            Set<String> rooms = i % 7 == 0 ? Set.of(ROOMS.get(i % 3)) : Set.of();
            Optional<LocalDate> until = i % 50 == 1 ? Optional.of(LocalDate.parse("2026-07-15")) : Optional.empty();
            permissions.add(new Permission(cardId(i), "S-" + i, rooms, staff, Optional.empty(), until, groups));
        }
        policy = new AccessPolicy(Map.of(
                "studio-1", new RoomPolicy("studio-1", List.of(
                        rule(Set.of("media-club"), WEEKDAYS, "15:30", "18:00", false),
                        rule(Set.of("choir"), EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), "12:00", "13:30", false),
                        rule(Set.of("grade-9"), EnumSet.of(DayOfWeek.WEDNESDAY), "10:00", "11:40", false),
                        rule(Set.of("staff"), EnumSet.allOf(DayOfWeek.class), "00:00", "24:00", true)),
                        List.of(window(WEEKDAYS, "07:30", "18:00", false)), false, 8),
                "robotics-1", new RoomPolicy("robotics-1", List.of(
                        rule(Set.of("robotics-team"), WEEKDAYS, "16:00", "19:00", false),
                        rule(Set.of("robotics-team"), EnumSet.of(DayOfWeek.FRIDAY), "22:00", "02:00", false),
                        rule(Set.of("grade-8", "grade-9"), EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), "08:00", "09:40", false),
                        rule(Set.of("staff"), EnumSet.allOf(DayOfWeek.class), "00:00", "24:00", true)),
                        List.of(), true, 24),
                "maker-1", new RoomPolicy("maker-1", List.of(
                        rule(Set.of("maker-club"), EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                                "15:30", "17:30", false),
                        rule(Set.of("grade-7", "grade-8"), EnumSet.of(DayOfWeek.TUESDAY), "13:30", "15:10", false),
                        rule(Set.of("maker-club"), EnumSet.of(DayOfWeek.SATURDAY), "09:00", "12:00", false),
                        rule(Set.of("staff"), EnumSet.allOf(DayOfWeek.class), "00:00", "24:00", true)),
                        List.of(window(WEEKDAYS, "07:30", "18:00", false)), true, 20)),
                new HolidayCalendar(List.of(
                        holiday("New Year's Day", "2026-01-01", "2026-01-03"),
                        holiday("Spring Festival", "2026-02-15", "2026-02-23"),
                        holiday("Qingming", "2026-04-04", "2026-04-06"),
                        holiday("Labour Day", "2026-05-01", "2026-05-05"),
                        holiday("Dragon Boat Festival", "2026-06-19", "2026-06-21"),
                        holiday("Summer vacation", "2026-07-16", "2026-08-31"),
                        holiday("Mid-Autumn Festival", "2026-09-25", "2026-09-27"),
                        holiday("National Day Golden Week", "2026-10-01", "2026-10-07"))),
                Set.of("staff"));
        // The studio full, the lab half full, the maker space nearly full: cards inside for anti-passback and toggles.
        // A stride of tens alternates staff (every 20th card) and students.
        int[] fill = {8, 12, 15};
        int stride = Math.max(10, cards / 64 / 10 * 10);
        int next = 0;
        for (int r = 0; r < ROOMS.size(); r++) {
            for (int k = 0; k < fill[r] && next < cards; k++, next += stride) {
                occupancy.enter(ROOMS.get(r), cardId(next));
                inside.add(new Tap(cardId(next), ROOMS.get(r), Direction.IN, Instant.EPOCH));
            }
        }
    }

    AccessDecider decider() {
        return new AccessDecider(AllowList.of(1, permissions), policy, zone, occupancy);
    }

    AccessPolicy policy() {
        return policy;
    }

    /** Taps of known and unknown cards at the three rooms' in, out and toggle readers, over a term week and a holiday. */
    Tap[] taps(int n) {
        LocalDateTime monday = LocalDateTime.parse("2026-11-30T00:00");
        LocalDateTime goldenWeek = LocalDateTime.parse("2026-10-02T00:00");
        Tap[] out = new Tap[n];
        for (int i = 0; i < n; i++) {
            // One in eleven unknown; one tap in twenty by a card inside a room, at that room.
            Tap in = random.nextInt(20) == 0 && !inside.isEmpty() ? inside.get(random.nextInt(inside.size())) : null;
            String card = in != null ? in.card() : cardId(random.nextInt(permissions.size() * 11 / 10));
            String room = in != null ? in.room() : ROOMS.get(random.nextInt(ROOMS.size()));
            LocalDateTime base = random.nextInt(10) == 0 ? goldenWeek : monday;
            LocalDateTime local = base.plusMinutes(random.nextInt(7 * 24 * 60));
            int d = random.nextInt(10);
            Direction direction = d < 6 ? Direction.IN : d < 8 ? Direction.TOGGLE : Direction.OUT;
            out[i] = new Tap(card, room, direction, local.atZone(zone).toInstant());
        }
        return out;
    }

    private static String cardId(int i) {
        return String.format("%010X", 0x0A00000000L + i);
    }

    private static AccessRule rule(Set<String> groups, Set<DayOfWeek> days, String from, String to, boolean holidays) {
        return new AccessRule(groups, window(days, from, to, holidays));
    }

    private static TimeWindow window(Set<DayOfWeek> days, String from, String to, boolean holidays) {
        return new TimeWindow(days, minutes(from), minutes(to), holidays);
    }

    private static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    private static HolidayCalendar.Holiday holiday(String name, String from, String to) {
        return new HolidayCalendar.Holiday(name, LocalDate.parse(from), LocalDate.parse(to));
    }

    /** Occupancy from plain maps, as the live room state would answer from memory. Single-threaded. */
    private static final class MapOccupancy implements OccupancyView {
        private final Map<String, Set<String>> inside = new HashMap<>();

        void enter(String room, String card) {
            inside.computeIfAbsent(room, k -> new HashSet<>()).add(card);
        }

        @Override
        public int occupants(String room) {
            Set<String> s = inside.get(room);
            return s == null ? 0 : s.size();
        }

        @Override
        public boolean inside(String room, String card) {
            Set<String> s = inside.get(room);
            return s != null && s.contains(card);
        }
    }
}
