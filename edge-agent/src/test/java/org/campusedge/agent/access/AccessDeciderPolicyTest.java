package org.campusedge.agent.access;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.campusedge.agent.access.AccessPolicyFixture.EXPIRED;
import static org.campusedge.agent.access.AccessPolicyFixture.GRADE_8;
import static org.campusedge.agent.access.AccessPolicyFixture.MAKER_CAPACITY;
import static org.campusedge.agent.access.AccessPolicyFixture.MEDIA;
import static org.campusedge.agent.access.AccessPolicyFixture.NAMED;
import static org.campusedge.agent.access.AccessPolicyFixture.NOT_YET;
import static org.campusedge.agent.access.AccessPolicyFixture.ROBOTICS;
import static org.campusedge.agent.access.AccessPolicyFixture.SECURITY;
import static org.campusedge.agent.access.AccessPolicyFixture.STAFF;
import static org.campusedge.agent.access.AccessPolicyFixture.UNKNOWN;

/** Every reason code, the order they are checked in, capacity, anti-passback and reader directions. */
class AccessDeciderPolicyTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String MAKER = "maker-1";
    private static final String STUDIO = "studio-1";
    /** Monday, during the grade-8 maker club. */
    private static final Instant MONDAY_4PM = at("2026-11-30T16:00");
    /** Monday morning: the room's open-hours, but no club. */
    private static final Instant MONDAY_9AM = at("2026-11-30T09:00");
    private static final Instant SATURDAY_10AM = at("2026-12-05T10:00");
    /** The first day of the National Day Golden Week, a Thursday. */
    private static final Instant NATIONAL_DAY_4PM = at("2026-10-01T16:00");

    private final InMemoryOccupancy occupancy = new InMemoryOccupancy();
    private final AccessDecider decider = new AccessDecider(AccessPolicyFixture.allowList(), AccessPolicyFixture.policy(),
            SHANGHAI, occupancy);

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    private ReasonCode in(String card, String room, Instant at) {
        return decider.decide(card, room, Direction.IN, at).reason();
    }

    @Test
    void a_group_rule_grants_inside_its_window_only() {
        Decision d = decider.decide(GRADE_8.toLowerCase(), MAKER, Direction.IN, MONDAY_4PM);
        assertThat(d.reason()).isEqualTo(ReasonCode.GRANTED);
        assertThat(d.direction()).isEqualTo(Direction.IN);
        assertThat(d.person()).hasValue("P-0001");
        assertThat(in(GRADE_8, MAKER, MONDAY_9AM)).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(in(GRADE_8, MAKER, at("2026-11-30T17:30"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(in(GRADE_8, MAKER, at("2026-11-30T17:29:59"))).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(GRADE_8, MAKER, at("2026-11-30T15:30"))).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_room_named_on_the_allow_list_follows_the_rooms_open_hours() {
        assertThat(in(NAMED, MAKER, MONDAY_9AM)).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(NAMED, MAKER, at("2026-11-30T07:29"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(in(NAMED, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        // A wildcard card names every room too; the staff rule opens maker-1 on Saturday regardless.
        assertThat(in(STAFF, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_room_named_on_the_allow_list_opens_any_time_when_the_room_has_no_open_hours() {
        RoomPolicy noHours = new RoomPolicy(MAKER, AccessPolicyFixture.maker(0).rules(), java.util.List.of(), false, 0);
        decider.replacePolicy(new AccessPolicy(Map.of(MAKER, noHours), AccessPolicyFixture.holidays(), Set.of()));
        assertThat(in(NAMED, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(NAMED, MAKER, NATIONAL_DAY_4PM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_room_without_a_policy_is_decided_from_the_allow_list_alone() {
        occupancy.crowd(STUDIO, 10_000).enter(STUDIO, NAMED);
        assertThat(in(NAMED, STUDIO, SATURDAY_10AM)).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(NAMED, STUDIO, NATIONAL_DAY_4PM)).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(GRADE_8, STUDIO, MONDAY_4PM)).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
    }

    @Test
    void holidays_close_windows_that_do_not_apply_on_holidays() {
        assertThat(in(GRADE_8, MAKER, NATIONAL_DAY_4PM)).isEqualTo(ReasonCode.HOLIDAY);
        assertThat(in(NAMED, MAKER, NATIONAL_DAY_4PM)).isEqualTo(ReasonCode.HOLIDAY);
        assertThat(in(STAFF, MAKER, NATIONAL_DAY_4PM)).isEqualTo(ReasonCode.GRANTED);
        // Outside every window, a holiday is still just outside the schedule.
        assertThat(in(GRADE_8, MAKER, at("2026-10-01T09:00"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        // The day after the Golden Week the club meets again.
        assertThat(in(GRADE_8, MAKER, at("2026-10-08T16:00"))).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_window_over_midnight_belongs_to_the_day_it_starts() {
        assertThat(in(ROBOTICS, MAKER, at("2026-12-04T21:59"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-04T22:00"))).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-04T23:59:59"))).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-05T00:00"))).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-05T01:59"))).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-05T02:00"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        // Saturday night is not Friday night; neither is the small hours of Friday.
        assertThat(in(ROBOTICS, MAKER, at("2026-12-05T23:00"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(in(ROBOTICS, MAKER, at("2026-12-04T01:00"))).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
    }

    @Test
    void a_window_over_midnight_that_starts_on_a_holiday_stays_closed_into_the_next_day() {
        // New Year's Day 2027 is a Friday.
        assertThat(in(ROBOTICS, MAKER, at("2027-01-01T23:00"))).isEqualTo(ReasonCode.HOLIDAY);
        assertThat(in(ROBOTICS, MAKER, at("2027-01-02T01:00"))).isEqualTo(ReasonCode.HOLIDAY);
        // The Friday before it (Christmas, not a holiday here) opens into Saturday as usual.
        assertThat(in(ROBOTICS, MAKER, at("2026-12-26T01:00"))).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_card_with_no_way_into_the_room_is_not_permitted_there() {
        assertThat(in(MEDIA, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
        assertThat(in(UNKNOWN, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.UNKNOWN_CARD);
    }

    @Test
    void validity_comes_before_the_room_and_the_schedule() {
        assertThat(in(EXPIRED, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.EXPIRED);
        assertThat(in(NOT_YET, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.NOT_YET_VALID);
        assertThat(in(EXPIRED, "robotics-1", MONDAY_4PM)).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void a_full_room_refuses_entries_but_lets_people_out() {
        occupancy.crowd(MAKER, MAKER_CAPACITY);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.ROOM_FULL);
        assertThat(in(STAFF, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.ROOM_FULL);
        // The schedule is judged first: outside it, the card hears why it could never enter now.
        assertThat(in(GRADE_8, MAKER, MONDAY_9AM)).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        assertThat(decider.decide(GRADE_8, MAKER, Direction.OUT, MONDAY_4PM).reason()).isEqualTo(ReasonCode.EXIT);
        occupancy.crowd(MAKER, MAKER_CAPACITY - 1);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void capacity_zero_is_unlimited() {
        decider.replacePolicy(new AccessPolicy(Map.of(MAKER, AccessPolicyFixture.maker(0)), HolidayCalendar.none(), Set.of()));
        occupancy.crowd(MAKER, 5_000);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void anti_passback_refuses_a_second_entry_and_comes_before_room_full() {
        occupancy.enter(MAKER, GRADE_8);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.ANTI_PASSBACK);
        occupancy.crowd(MAKER, MAKER_CAPACITY);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.ANTI_PASSBACK);
        // Without anti-passback, the same card may enter again (its first exit went unrecorded).
        RoomPolicy lenient = new RoomPolicy(MAKER, AccessPolicyFixture.maker(0).rules(), java.util.List.of(), false, 0);
        decider.replacePolicy(new AccessPolicy(Map.of(MAKER, lenient), HolidayCalendar.none(), Set.of()));
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void in_and_out_readers_with_anti_passback() {
        assertThat(occupancy.follow(MAKER, NAMED, decider.decide(NAMED, MAKER, Direction.IN, MONDAY_9AM)).reason())
                .isEqualTo(ReasonCode.GRANTED);
        assertThat(decider.decide(NAMED, MAKER, Direction.IN, MONDAY_9AM).reason()).isEqualTo(ReasonCode.ANTI_PASSBACK);
        Decision out = occupancy.follow(MAKER, NAMED, decider.decide(NAMED, MAKER, Direction.OUT, MONDAY_9AM));
        assertThat(out.reason()).isEqualTo(ReasonCode.EXIT);
        assertThat(out.direction()).isEqualTo(Direction.OUT);
        assertThat(out.person()).hasValue("P-0002");
        assertThat(decider.decide(NAMED, MAKER, Direction.IN, MONDAY_9AM).reason()).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_toggle_reader_lets_a_card_inside_out_and_any_other_in() {
        Decision first = occupancy.follow(MAKER, NAMED, decider.decide(NAMED, MAKER, Direction.TOGGLE, MONDAY_9AM));
        assertThat(first.reason()).isEqualTo(ReasonCode.GRANTED);
        assertThat(first.direction()).isEqualTo(Direction.IN);
        Decision second = occupancy.follow(MAKER, NAMED, decider.decide(NAMED, MAKER, Direction.TOGGLE, MONDAY_9AM));
        assertThat(second.reason()).isEqualTo(ReasonCode.EXIT);
        assertThat(second.direction()).isEqualTo(Direction.OUT);
        // Inside after hours: the toggle reader still lets the card out.
        occupancy.enter(MAKER, NAMED);
        assertThat(decider.decide(NAMED, MAKER, Direction.TOGGLE, SATURDAY_10AM).reason()).isEqualTo(ReasonCode.EXIT);
        // Outside, a toggle tap is an entry and is judged like one.
        assertThat(decider.decide(GRADE_8, MAKER, Direction.TOGGLE, SATURDAY_10AM).reason())
                .isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
    }

    @Test
    void exits_are_granted_to_every_card_even_unknown_expired_or_in_a_lockdown() {
        decider.setMode(AccessMode.LOCKDOWN, "principal", "drill", MONDAY_4PM);
        for (String card : new String[] {UNKNOWN, EXPIRED, NOT_YET, MEDIA, GRADE_8}) {
            Decision d = decider.decide(card, MAKER, Direction.OUT, SATURDAY_10AM);
            assertThat(d.reason()).as(card).isEqualTo(ReasonCode.EXIT);
            assertThat(d.granted()).isTrue();
        }
        assertThat(decider.decide(UNKNOWN, MAKER, Direction.OUT, MONDAY_4PM).person()).isEmpty();
    }

    @Test
    void emergency_unlock_opens_every_door_for_every_card_first_of_all() {
        decider.setMode(AccessMode.EMERGENCY_UNLOCK, "fire-panel", "fire alarm zone 2", MONDAY_4PM);
        occupancy.crowd(MAKER, 100).enter(MAKER, GRADE_8);
        for (String card : new String[] {UNKNOWN, EXPIRED, MEDIA, GRADE_8}) {
            Decision d = decider.decide(card, MAKER, Direction.IN, SATURDAY_10AM);
            assertThat(d.reason()).as(card).isEqualTo(ReasonCode.EMERGENCY_UNLOCK);
            assertThat(d.granted()).isTrue();
        }
        Decision out = decider.decide(GRADE_8, MAKER, Direction.TOGGLE, SATURDAY_10AM);
        assertThat(out.reason()).isEqualTo(ReasonCode.EMERGENCY_UNLOCK);
        assertThat(out.direction()).isEqualTo(Direction.OUT);
    }

    @Test
    void lockdown_denies_entries_except_to_exempt_groups_who_are_decided_as_usual() {
        decider.setMode(AccessMode.LOCKDOWN, "principal", "police request", MONDAY_4PM);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.LOCKDOWN);
        assertThat(in(STAFF, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.LOCKDOWN);
        assertThat(in(NAMED, STUDIO, MONDAY_4PM)).isEqualTo(ReasonCode.LOCKDOWN);
        // Order: an unknown card is unknown; lockdown is told before validity.
        assertThat(in(UNKNOWN, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.UNKNOWN_CARD);
        assertThat(in(EXPIRED, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.LOCKDOWN);
        // The security group is exempt: it still follows its own permissions.
        assertThat(in(SECURITY, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.GRANTED);
        assertThat(in(SECURITY, MAKER, SATURDAY_10AM)).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);
        decider.setMode(AccessMode.NORMAL, "principal", "all clear", MONDAY_4PM);
        assertThat(in(GRADE_8, MAKER, MONDAY_4PM)).isEqualTo(ReasonCode.GRANTED);
    }

    @Test
    void a_mode_change_needs_who_and_why() {
        assertThatThrownBy(() -> decider.setMode(AccessMode.LOCKDOWN, " ", "drill", MONDAY_4PM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("who");
        assertThatThrownBy(() -> decider.setMode(AccessMode.LOCKDOWN, "principal", "", MONDAY_4PM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThat(decider.mode()).isEqualTo(AccessMode.NORMAL);
    }

    @Test
    void wire_codes_are_stable() {
        assertThat(java.util.Arrays.stream(ReasonCode.values()).map(ReasonCode::code)).containsExactlyInAnyOrder(
                "granted", "exit", "emergency_unlock", "unknown_card", "not_yet_valid", "expired", "room_not_permitted",
                "outside_schedule", "holiday", "room_full", "anti_passback", "lockdown");
        assertThat(java.util.Arrays.stream(ReasonCode.values()).filter(ReasonCode::granted))
                .containsExactlyInAnyOrder(ReasonCode.GRANTED, ReasonCode.EXIT, ReasonCode.EMERGENCY_UNLOCK);
    }
}
