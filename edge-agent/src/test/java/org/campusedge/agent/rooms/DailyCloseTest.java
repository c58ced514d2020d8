package org.campusedge.agent.rooms;

import org.campusedge.agent.TestClock;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DailyCloseTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void the_last_cut_is_today_once_passed_else_yesterday_in_the_school_zone() {
        LocalTime ten = LocalTime.of(22, 0);
        // 21:59 Shanghai time (UTC+8) on 30 November: the last cut was 29 November 22:00.
        assertThat(DailyClose.lastCut(ten, SHANGHAI, Instant.parse("2026-11-30T13:59:00Z")))
                .isEqualTo(Instant.parse("2026-11-29T14:00:00Z"));
        assertThat(DailyClose.lastCut(ten, SHANGHAI, Instant.parse("2026-11-30T14:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
    }

    @Test
    void forgotten_tap_outs_are_cleared_once_at_close_time_and_later_entries_stay() {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T13:00:00Z")); // 21:00 in Shanghai
        RoomEvents ev = new RoomEvents();
        RoomsState state = RoomEvents.newState();
        List<JournalEntry> out = new ArrayList<>();
        DailyClose close = new DailyClose(List.of(
                new RoomConfig("maker-1", "Maker", RoomType.MAKER_SPACE, 20),
                new RoomConfig("studio-1", "Studio", RoomType.RECORDING_STUDIO, 4, Optional.of(LocalTime.of(23, 30)))),
                Optional.of(LocalTime.of(22, 0)), SHANGHAI, clock, out::add);
        state.apply(List.of(ev.tap(clock.instant(), "maker-1", "C1", true, "granted", "in"),
                ev.tap(clock.instant(), "studio-1", "C2", true, "granted", "in")));

        close.check(state);
        assertThat(out).isEmpty();
        clock.advance(Duration.ofMinutes(61)); // 22:01
        close.check(state);
        close.check(state);
        assertThat(out).as("once, and only the room whose close time passed").singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ROOM_OCCUPANCY_RESET);
            assertThat(e.room()).contains("maker-1");
            assertThat(EventJson.MAPPER.readTree(e.payloadJson()).path("before").asText()).isEqualTo("2026-11-30T14:00:00Z");
        });
        // The reset is journaled and folded back in; someone entering after the cut stays.
        state.apply(List.of(ev.tap(clock.instant(), "maker-1", "C3", true, "granted", "in")));
        JournalEntry reset = out.get(0);
        state.apply(List.of(ev.event(reset.type(), reset.occurredAt(), "maker-1",
                RoomEvents.map("room", "maker-1", "before", "2026-11-30T14:00:00Z", "reason", "daily_close", "cleared", 1))));
        assertThat(state.view("maker-1").orElseThrow().occupancy().occupants()).extracting(RoomView.Occupant::card)
                .containsExactly("C3");
        close.check(state);
        assertThat(out).hasSize(1);
        clock.advance(Duration.ofMinutes(90)); // 23:31: the studio closes later
        close.check(state);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).room()).contains("studio-1");
    }
}
