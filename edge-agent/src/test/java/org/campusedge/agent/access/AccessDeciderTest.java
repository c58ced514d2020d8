package org.campusedge.agent.access;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccessDeciderTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant MONDAY_9AM = Instant.parse("2026-11-30T01:00:00Z");

    private final AccessDecider decider = new AccessDecider(AllowList.of(1, List.of(
            new Permission("0A00D6E3F2", "S-0117", Set.of("studio-1"), false, Optional.empty(), Optional.empty()),
            new Permission("1F00A4B2C3", "T-0042", Set.of(), true, Optional.empty(), Optional.empty()),
            new Permission("2200000001", "S-0999", Set.of("studio-1"), false,
                    Optional.of(LocalDate.parse("2026-12-01")), Optional.empty()),
            new Permission("2200000002", "S-0998", Set.of("studio-1"), false,
                    Optional.empty(), Optional.of(LocalDate.parse("2026-11-29"))))), SHANGHAI);

    @Test
    void grants_a_card_permitted_in_the_room() {
        Decision d = decider.decide("0a00d6e3f2", "studio-1", MONDAY_9AM);
        assertThat(d.reason()).isEqualTo(ReasonCode.GRANTED);
        assertThat(d.granted()).isTrue();
        assertThat(d.person()).hasValue("S-0117");
    }

    @Test
    void denies_unknown_cards_and_other_rooms_with_distinct_reasons() {
        assertThat(decider.decide("FFFFFFFFFF", "studio-1", MONDAY_9AM).reason()).isEqualTo(ReasonCode.UNKNOWN_CARD);
        Decision other = decider.decide("0A00D6E3F2", "robotics-1", MONDAY_9AM);
        assertThat(other.reason()).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
        assertThat(other.granted()).isFalse();
        assertThat(other.person()).hasValue("S-0117");
    }

    @Test
    void a_wildcard_card_opens_every_room() {
        assertThat(decider.decide("1F00A4B2C3", "robotics-1", MONDAY_9AM).granted()).isTrue();
    }

    @Test
    void validity_days_are_judged_in_the_school_time_zone() {
        // 2026-11-30T01:00Z is already Monday 30 Nov in Shanghai: the card valid until 29 Nov has expired.
        assertThat(decider.decide("2200000002", "studio-1", MONDAY_9AM).reason()).isEqualTo(ReasonCode.EXPIRED);
        // 2026-11-29T15:00Z is 23:00 on the 29th in Shanghai: still valid.
        assertThat(decider.decide("2200000002", "studio-1", Instant.parse("2026-11-29T15:00:00Z")).granted()).isTrue();
        assertThat(decider.decide("2200000001", "studio-1", MONDAY_9AM).reason()).isEqualTo(ReasonCode.NOT_YET_VALID);
        // 2026-11-30T16:30Z is 00:30 on 1 Dec in Shanghai.
        assertThat(decider.decide("2200000001", "studio-1", Instant.parse("2026-11-30T16:30:00Z")).granted()).isTrue();
    }

    @Test
    void a_replaced_list_takes_effect_at_once() {
        decider.replace(AllowList.of(2, List.of()));
        assertThat(decider.decide("0A00D6E3F2", "studio-1", MONDAY_9AM).reason()).isEqualTo(ReasonCode.UNKNOWN_CARD);
        assertThat(decider.current().version()).isEqualTo(2);
    }
}
