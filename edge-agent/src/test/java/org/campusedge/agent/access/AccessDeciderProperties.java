package org.campusedge.agent.access;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the card, time, direction, mode and occupancy: a granted entry is explained by some
 * window that an independent reading of the timetable finds open, and a door never stays shut on
 * someone leaving.
 */
class AccessDeciderProperties {

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Asia/Shanghai"), ZoneId.of("Europe/Berlin"));
    private static final String ROOM = "maker-1";
    private static final String CARD = "0A00000042";

    @Provide
    Arbitrary<Set<String>> groups() {
        return Arbitraries.of("grade-8", "staff", "robotics-team", "media-club", "security").set().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Set<String>> rooms() {
        return Arbitraries.of(ROOM, "studio-1").set();
    }

    /** Any time in 2026–2027, one in four during the National Day Golden Week (1-7 October, Shanghai). */
    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1_767_225_600L, 1_830_297_600L)),
                Tuple.of(1, Arbitraries.longs().between(1_790_784_000L, 1_791_388_800L)));
    }

    @Provide
    Arbitrary<AccessMode> modes() {
        return Arbitraries.frequency(Tuple.of(8, AccessMode.NORMAL),
                Tuple.of(1, AccessMode.EMERGENCY_UNLOCK), Tuple.of(1, AccessMode.LOCKDOWN));
    }

    @Provide
    Arbitrary<Direction> directions() {
        return Arbitraries.frequency(Tuple.of(6, Direction.IN), Tuple.of(1, Direction.OUT),
                Tuple.of(3, Direction.TOGGLE));
    }

    @Property(tries = 3000)
    void a_granted_decision_always_satisfies_some_rule(
            @ForAll("groups") Set<String> groups, @ForAll("rooms") Set<String> rooms,
            @ForAll("times") long epochSecond,
            @ForAll("directions") Direction direction, @ForAll("modes") AccessMode mode, @ForAll boolean inside,
            @ForAll @IntRange(min = 0, max = 3) int crowd, @ForAll @IntRange(min = 0, max = 1) int zoneIndex,
            @ForAll @IntRange(min = -400, max = 400) int validShift) {
        ZoneId zone = ZONES.get(zoneIndex);
        Instant at = Instant.ofEpochSecond(epochSecond);
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        Optional<LocalDate> validUntil = validShift < 0 ? Optional.of(local.toLocalDate().plusDays(validShift / 100))
                : Optional.empty();
        Permission card = new Permission(CARD, "S-42", rooms, false, Optional.empty(), validUntil, groups);
        AccessPolicy policy = AccessPolicyFixture.policy();
        InMemoryOccupancy occupancy = new InMemoryOccupancy().crowd(ROOM, crowd);
        if (inside) {
            occupancy.enter(ROOM, CARD);
        }
        AccessDecider decider = new AccessDecider(AllowList.of(1, List.of(card)), policy, zone, occupancy);
        decider.restoreMode(mode);

        Decision d = decider.decide(CARD, ROOM, direction, at);
        Statistics.label("reason").collect(d.reason().code());

        boolean leaving = direction == Direction.OUT || direction == Direction.TOGGLE && inside;
        assertThat(d.direction()).isEqualTo(leaving ? Direction.OUT : Direction.IN);
        if (leaving) {
            assertThat(d.granted()).as("nobody is locked in").isTrue();
        }
        if (mode == AccessMode.EMERGENCY_UNLOCK) {
            assertThat(d.reason()).isEqualTo(ReasonCode.EMERGENCY_UNLOCK);
        }
        if (d.reason() == ReasonCode.GRANTED) {
            RoomPolicy room = policy.room(ROOM).orElseThrow();
            HolidayCalendar holidays = policy.holidays();
            boolean byName = card.opens(ROOM) && (room.openHours().isEmpty()
                    || room.openHours().stream().anyMatch(w -> openAt(w, local, holidays)));
            boolean byRule = room.rules().stream().anyMatch(r -> r.groups().stream().anyMatch(groups::contains)
                    && openAt(r.window(), local, holidays));
            assertThat(byName || byRule).as("some rule explains the grant at %s", local).isTrue();
            assertThat(validUntil.map(u -> !local.toLocalDate().isAfter(u)).orElse(true)).isTrue();
            assertThat(crowd + (inside ? 1 : 0)).isLessThan(room.capacity());
            assertThat(inside).isFalse();
            assertThat(mode == AccessMode.LOCKDOWN && !groups.contains("security")).isFalse();
        }
    }

    @Property(tries = 500)
    void unknown_cards_only_leave_or_pass_in_an_emergency(@ForAll Direction direction, @ForAll AccessMode mode,
            @ForAll @LongRange(min = 1_767_225_600L, max = 1_830_297_600L) long epochSecond) {
        AccessDecider decider = new AccessDecider(AccessPolicyFixture.allowList(), AccessPolicyFixture.policy(),
                ZONES.get(0), OccupancyView.NONE);
        decider.restoreMode(mode);
        Decision d = decider.decide("ABCDEF0123", ROOM, direction, Instant.ofEpochSecond(epochSecond));
        assertThat(d.person()).isEmpty();
        if (d.granted()) {
            assertThat(d.reason()).isIn(ReasonCode.EXIT, ReasonCode.EMERGENCY_UNLOCK);
        } else {
            assertThat(d.reason()).isEqualTo(ReasonCode.UNKNOWN_CARD);
        }
    }

    /**
     * The timetable read independently of {@link TimeWindow#match}: each occurrence of the window
     * that starts yesterday or today, as an interval of local date-times.
     */
    private static boolean openAt(TimeWindow w, LocalDateTime local, HolidayCalendar holidays) {
        for (LocalDate start : List.of(local.toLocalDate().minusDays(1), local.toLocalDate())) {
            if (!w.days().contains(start.getDayOfWeek()) || !w.onHolidays() && holidays.isHoliday(start)) {
                continue;
            }
            LocalDateTime from = start.atTime(LocalTime.ofSecondOfDay(w.fromMinute() * 60L));
            LocalDate endDay = w.crossesMidnight() || w.toMinute() == TimeWindow.DAY_MINUTES ? start.plusDays(1) : start;
            LocalDateTime to = endDay.atTime(LocalTime.ofSecondOfDay((w.toMinute() % TimeWindow.DAY_MINUTES) * 60L));
            if (!local.isBefore(from) && local.isBefore(to)) {
                return true;
            }
        }
        return false;
    }
}
