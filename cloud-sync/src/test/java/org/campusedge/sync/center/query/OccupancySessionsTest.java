package org.campusedge.sync.center.query;

import org.campusedge.sync.center.StoredEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OccupancySessionsTest {

    private static final Instant T0 = Instant.parse("2026-09-07T01:00:00Z");
    private final List<OccupancySessions.Session> sessions = new ArrayList<>();
    private final OccupancySessions fold = new OccupancySessions(sessions::add);
    private long seq;

    private void event(String device, String type, int minutes, String payload) {
        fold.accept(new StoredEvent(device, "priority", ++seq, type, T0.plus(Duration.ofMinutes(minutes)), T0, payload));
    }

    private void tap(String device, int minutes, String room, String card, boolean granted, String extra) {
        event(device, "access.decision", minutes, "{\"room\":\"" + room + "\",\"card\":\"" + card + "\",\"granted\":" + granted
                + extra + "}");
    }

    @Test
    void a_session_runs_from_the_first_entry_into_the_empty_room_until_the_last_one_leaves() {
        tap("box", 0, "r1", "a", true, ",\"direction\":\"in\",\"roomType\":\"maker-space\"");
        tap("box", 10, "r1", "b", true, ",\"direction\":\"in\",\"person\":\"S-2\"");
        tap("box", 20, "r1", "a", true, ",\"direction\":\"out\"");
        tap("box", 25, "r1", "x", true, ",\"reason\":\"exit\"");
        tap("box", 40, "r1", "b", true, ",\"reason\":\"exit\"");

        assertThat(sessions).containsExactly(new OccupancySessions.Session("box", "r1", "maker-space", T0,
                T0.plus(Duration.ofMinutes(40)), Set.of("card:a", "person:S-2"), 2, false));
    }

    @Test
    void denied_taps_and_other_events_move_nobody_and_unreadable_ones_are_counted() {
        tap("box", 0, "r1", "a", false, "");
        event("box", "sensor.aggregate", 1, "{\"room\":\"r1\",\"avg\":1}");
        event("box", "access.decision", 2, "not json");
        event("box", "access.decision", 3, "{\"card\":\"no room\",\"granted\":true}");
        fold.finish();

        assertThat(sessions).isEmpty();
        assertThat(fold.unreadable()).isEqualTo(2);
    }

    @Test
    void the_daily_close_ends_a_forgotten_session_at_the_close_and_keeps_later_arrivals() {
        tap("box", 0, "r1", "a", true, "");
        tap("box", 600, "r1", "late", true, "");
        event("box", "room.occupancy_reset", 605, "{\"room\":\"r1\",\"before\":\"" + T0.plus(Duration.ofMinutes(300)) + "\"}");
        tap("box", 620, "r1", "late", true, ",\"direction\":\"out\"");
        fold.finish();

        assertThat(sessions).singleElement().satisfies(s -> {
            assertThat(s.start()).isEqualTo(T0);
            assertThat(s.end()).as("the late arrival kept the room occupied until leaving").isEqualTo(T0.plus(Duration.ofMinutes(620)));
            assertThat(s.students()).containsExactlyInAnyOrder("card:a", "card:late");
        });
    }

    @Test
    void rooms_of_different_boxes_are_apart_and_an_open_session_counts_to_its_latest_entry() {
        tap("box-1", 0, "r1", "a", true, "");
        tap("box-2", 5, "r1", "a", true, "");
        tap("box-2", 15, "r1", "b", true, "");
        tap("box-1", 30, "r1", "a", true, ",\"direction\":\"out\"");
        fold.finish();

        assertThat(sessions).extracting(s -> s.device() + " " + Duration.between(s.start(), s.end()).toMinutes() + "min open="
                + s.open() + " " + s.roomType()).containsExactly("box-1 30min open=false unknown", "box-2 10min open=true unknown");
    }
}
