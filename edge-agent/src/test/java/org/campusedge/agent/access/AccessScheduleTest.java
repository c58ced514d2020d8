package org.campusedge.agent.access;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.campusedge.agent.access.AccessPolicyFixture.window;

/** Windows are wall-clock times in the school's zone: daylight-saving days, zones, midnight. */
class AccessScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String CARD = "0A00000001";
    private static final Set<DayOfWeek> SUNDAY = EnumSet.of(DayOfWeek.SUNDAY);

    private static AccessDecider decider(ZoneId zone, TimeWindow... windows) {
        List<AccessRule> rules = java.util.Arrays.stream(windows).map(w -> new AccessRule(Set.of("club"), w)).toList();
        AccessPolicy policy = new AccessPolicy(Map.of("lab", new RoomPolicy("lab", rules, List.of(), false, 0)),
                HolidayCalendar.none(), Set.of());
        return new AccessDecider(AllowList.of(1, List.of(AccessPolicyFixture.card(CARD, Set.of(), false, Set.of("club")))),
                policy, zone, OccupancyView.NONE);
    }

    private static boolean open(AccessDecider d, String utc) {
        return d.decide(CARD, "lab", Direction.IN, Instant.parse(utc)).granted();
    }

    /** How long a window is open between two instants, checked minute by minute. */
    private static Duration openFor(AccessDecider d, Instant from, Instant to) {
        long minutes = 0;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
            if (d.decide(CARD, "lab", Direction.IN, t).granted()) {
                minutes++;
            }
        }
        return Duration.ofMinutes(minutes);
    }

    @Test
    void berlin_spring_forward_a_window_over_the_skipped_hour_is_an_hour_shorter() {
        // 2026-03-29: at 02:00 CET clocks jump to 03:00 CEST (01:00Z).
        AccessDecider d = decider(BERLIN, window(SUNDAY, "01:00", "04:00", false));
        assertThat(open(d, "2026-03-28T23:59:00Z")).isFalse();   // 00:59 CET
        assertThat(open(d, "2026-03-29T00:00:00Z")).isTrue();    // 01:00 CET
        assertThat(open(d, "2026-03-29T01:00:00Z")).isTrue();    // 03:00 CEST
        assertThat(open(d, "2026-03-29T01:59:00Z")).isTrue();    // 03:59 CEST
        assertThat(open(d, "2026-03-29T02:00:00Z")).isFalse();   // 04:00 CEST
        assertThat(openFor(d, Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-29T12:00:00Z")))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void berlin_spring_forward_a_window_inside_the_skipped_hour_never_opens() {
        AccessDecider d = decider(BERLIN, window(SUNDAY, "02:00", "03:00", false));
        assertThat(openFor(d, Instant.parse("2026-03-28T22:00:00Z"), Instant.parse("2026-03-29T06:00:00Z"))).isZero();
        // A week later the same window opens for its hour.
        assertThat(openFor(d, Instant.parse("2026-04-04T22:00:00Z"), Instant.parse("2026-04-05T06:00:00Z")))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void berlin_fall_back_a_window_over_the_repeated_hour_opens_in_both() {
        // 2026-10-25: at 03:00 CEST clocks go back to 02:00 CET (01:00Z); 02:00-03:00 happens twice.
        AccessDecider d = decider(BERLIN, window(SUNDAY, "02:00", "03:00", false));
        assertThat(open(d, "2026-10-24T23:59:00Z")).isFalse();   // 01:59 CEST
        assertThat(open(d, "2026-10-25T00:30:00Z")).isTrue();    // 02:30 CEST
        assertThat(open(d, "2026-10-25T01:30:00Z")).isTrue();    // 02:30 CET
        assertThat(open(d, "2026-10-25T02:00:00Z")).isFalse();   // 03:00 CET
        assertThat(openFor(d, Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-25T12:00:00Z")))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void berlin_a_window_over_midnight_on_the_night_the_clocks_change() {
        AccessDecider d = decider(BERLIN, window(EnumSet.of(DayOfWeek.SATURDAY), "22:00", "06:00", false));
        assertThat(open(d, "2026-03-28T20:59:00Z")).isFalse();   // Sat 21:59 CET
        assertThat(open(d, "2026-03-28T21:00:00Z")).isTrue();    // Sat 22:00 CET
        assertThat(open(d, "2026-03-29T03:59:00Z")).isTrue();    // Sun 05:59 CEST
        assertThat(open(d, "2026-03-29T04:00:00Z")).isFalse();   // Sun 06:00 CEST
        // Eight wall-clock hours, seven real ones.
        assertThat(openFor(d, Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-29T12:00:00Z")))
                .isEqualTo(Duration.ofHours(7));
    }

    @Test
    void shanghai_days_and_times_are_judged_in_the_school_zone_not_utc() {
        // Monday 07:00-08:00 in Shanghai is Sunday 23:00-24:00 UTC.
        AccessDecider d = decider(SHANGHAI, window(EnumSet.of(DayOfWeek.MONDAY), "07:00", "08:00", false));
        assertThat(open(d, "2026-11-29T23:30:00Z")).isTrue();
        assertThat(open(d, "2026-11-30T07:30:00Z")).isFalse();   // Monday 07:30 UTC is 15:30 in Shanghai
        assertThat(openFor(d, Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-06T00:00:00Z")))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void a_whole_day_window_and_several_windows_for_one_group() {
        AccessDecider d = decider(SHANGHAI, window(EnumSet.of(DayOfWeek.TUESDAY), "00:00", "24:00", false),
                window(EnumSet.of(DayOfWeek.THURSDAY), "12:00", "13:00", false));
        LocalDate tuesday = LocalDate.parse("2026-12-01");
        assertThat(d.decide(CARD, "lab", Direction.IN, LocalDateTime.of(tuesday, java.time.LocalTime.MIDNIGHT)
                .atZone(SHANGHAI).toInstant()).granted()).isTrue();
        assertThat(d.decide(CARD, "lab", Direction.IN, LocalDateTime.of(tuesday, java.time.LocalTime.MAX)
                .atZone(SHANGHAI).toInstant()).granted()).isTrue();
        assertThat(openFor(d, Instant.parse("2026-11-29T16:00:00Z"), Instant.parse("2026-12-06T16:00:00Z")))
                .isEqualTo(Duration.ofHours(25));
    }

    @Test
    void a_window_before_a_holiday_runs_on_into_the_holiday() {
        HolidayCalendar newYear = new HolidayCalendar(List.of(
                new HolidayCalendar.Holiday("New Year's Day", LocalDate.parse("2027-01-01"), LocalDate.parse("2027-01-01"))));
        TimeWindow thursdayNight = window(EnumSet.of(DayOfWeek.THURSDAY), "20:00", "02:00", false);
        // Thursday 31 Dec is no holiday: its window runs into the small hours of New Year's Day.
        assertThat(thursdayNight.match(LocalDate.parse("2027-01-01"), 3600, newYear)).isEqualTo(TimeWindow.Match.OPEN);
        assertThat(thursdayNight.match(LocalDate.parse("2026-12-31"), 21 * 3600, newYear)).isEqualTo(TimeWindow.Match.OPEN);
        TimeWindow fridayNight = window(EnumSet.of(DayOfWeek.FRIDAY), "20:00", "02:00", false);
        assertThat(fridayNight.match(LocalDate.parse("2027-01-02"), 3600, newYear)).isEqualTo(TimeWindow.Match.HOLIDAY);
        TimeWindow fridayNightHolidaysToo = window(EnumSet.of(DayOfWeek.FRIDAY), "20:00", "02:00", true);
        assertThat(fridayNightHolidaysToo.match(LocalDate.parse("2027-01-02"), 3600, newYear)).isEqualTo(TimeWindow.Match.OPEN);
    }

    @Test
    void holidays_index_every_day_of_a_range() {
        HolidayCalendar c = AccessPolicyFixture.holidays();
        assertThat(c.isHoliday(LocalDate.parse("2026-09-30"))).isFalse();
        assertThat(c.holiday(LocalDate.parse("2026-10-01"))).hasValueSatisfying(h ->
                assertThat(h.name()).isEqualTo("National Day Golden Week"));
        assertThat(c.isHoliday(LocalDate.parse("2026-10-07"))).isTrue();
        assertThat(c.isHoliday(LocalDate.parse("2026-10-08"))).isFalse();
        assertThatThrownBy(() -> new HolidayCalendar.Holiday("x", LocalDate.parse("2026-10-02"), LocalDate.parse("2026-10-01")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_empty_window_is_refused() {
        assertThatThrownBy(() -> window(SUNDAY, "08:00", "08:00", false)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> new TimeWindow(Set.of(), 0, 60, false)).hasMessageContaining("at least one day");
    }
}
