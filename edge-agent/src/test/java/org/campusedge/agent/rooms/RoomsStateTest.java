package org.campusedge.agent.rooms;

import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.rooms.RoomView.MetricState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoomsStateTest {

    private static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");
    private final RoomEvents ev = new RoomEvents();
    private final RoomsState state = RoomEvents.newState();

    private RoomView maker() {
        return state.view("maker-1").orElseThrow();
    }

    @Test
    void granted_taps_in_and_exits_move_cards_denied_taps_do_not() {
        state.apply(List.of(
                ev.tap(T0, "maker-1", "C1", true, "granted", "in"),
                ev.tap(T0.plusSeconds(1), "maker-1", "C2", true, "granted", "in"),
                ev.tap(T0.plusSeconds(2), "maker-1", "C3", false, "outside_schedule", "in"),
                ev.tap(T0.plusSeconds(3), "maker-1", "C1", true, "exit", "toggle"),
                ev.tap(T0.plusSeconds(4), "maker-1", "C2", true, "granted", "in")));
        assertThat(maker().occupancy().count()).isEqualTo(1);
        assertThat(maker().occupancy().occupants()).singleElement().satisfies(o -> {
            assertThat(o.card()).isEqualTo("C2");
            assertThat(o.person()).isEqualTo("P-C2");
            assertThat(o.since()).as("a second tap in keeps the first entry time").isEqualTo(T0.plusSeconds(1));
        });
        assertThat(state.inside("maker-1", "C2")).isTrue();
        assertThat(state.inside("maker-1", "C1")).isFalse();
        assertThat(maker().readers()).singleElement().satisfies(r -> {
            assertThat(r.lastTap().card()).isEqualTo("C2");
            assertThat(r.lastTap().granted()).isTrue();
        });
    }

    @Test
    void a_grant_at_an_out_reader_takes_the_card_out() {
        state.apply(List.of(ev.tap(T0, "studio-1", "C1", true, "granted", "in"),
                ev.tap(T0.plusSeconds(60), "studio-1", "C1", true, "exit", "out")));
        assertThat(state.occupants("studio-1")).isZero();
    }

    @Test
    void latest_value_minute_history_and_trend_of_a_metric() {
        for (int minute = 0; minute < 5; minute++) {
            state.apply(List.of(
                    ev.reading(T0.plus(Duration.ofMinutes(minute)), "maker-1", "env-1", "temperature", 30 + minute),
                    ev.reading(T0.plus(Duration.ofMinutes(minute)).plusSeconds(30), "maker-1", "env-1", "temperature", 31 + minute)));
        }
        MetricState t = maker().metrics().get(0);
        assertThat(t.value()).isEqualTo(35.0);
        assertThat(t.at()).isEqualTo(T0.plus(Duration.ofMinutes(4)).plusSeconds(30));
        assertThat(t.minutes()).hasSize(5);
        assertThat(t.minutes().get(0).min()).isEqualTo(30.0);
        assertThat(t.minutes().get(0).max()).isEqualTo(31.0);
        assertThat(t.minutes().get(0).avg()).isEqualTo(30.5);
        assertThat(t.minutes().get(0).count()).isEqualTo(2);
        assertThat(t.trend()).isEqualTo("rising");
    }

    @Test
    void history_keeps_only_the_last_fifteen_minutes() {
        for (int minute = 0; minute < 40; minute++) {
            state.apply(List.of(ev.reading(T0.plus(Duration.ofMinutes(minute)), "maker-1", "env-1", "co2", 600)));
        }
        MetricState co2 = maker().metrics().get(0);
        assertThat(co2.minutes()).hasSize(RoomsState.HISTORY_MINUTES);
        assertThat(co2.minutes().get(0).minute()).isEqualTo(T0.plus(Duration.ofMinutes(25)));
        assertThat(co2.trend()).isEqualTo("steady");

        MetricState live = maker().withRecentMinutes(RoomView.LIVE_MINUTES).metrics().get(0);
        assertThat(live.minutes()).as("the live API sends the last minutes only").extracting(RoomView.Minute::minute)
                .containsExactly(T0.plus(Duration.ofMinutes(37)), T0.plus(Duration.ofMinutes(38)), T0.plus(Duration.ofMinutes(39)));
        assertThat(live.value()).isEqualTo(co2.value());
        assertThat(live.trend()).isEqualTo(co2.trend());
    }

    @Test
    void equipment_on_air_and_doors_with_the_time_they_last_changed() {
        state.apply(List.of(
                ev.reading(T0, "maker-1", "laser-1", "power", 2),
                ev.reading(T0.plusSeconds(10), "maker-1", "laser-1", "power", 1200),
                ev.reading(T0.plusSeconds(20), "maker-1", "laser-1", "power", 1300),
                ev.reading(T0.plusSeconds(5), "maker-1", "door-1", "door", 1),
                ev.reading(T0.plusSeconds(7), "studio-1", "lamp", "on-air", 1)));
        assertThat(maker().equipment()).singleElement().satisfies(e -> {
            assertThat(e.on()).isTrue();
            assertThat(e.watts()).isEqualTo(1300.0);
            assertThat(e.since()).as("on since it crossed the standby threshold").isEqualTo(T0.plusSeconds(10));
        });
        assertThat(maker().doors()).singleElement().satisfies(d -> assertThat(d.open()).isTrue());
        RoomView studio = state.view("studio-1").orElseThrow();
        assertThat(studio.onAir().on()).isTrue();
        assertThat(studio.onAir().since()).isEqualTo(T0.plusSeconds(7));
    }

    @Test
    void alarms_sensor_availability_reader_status_and_daily_reset() {
        state.apply(List.of(
                ev.tap(T0, "maker-1", "C1", true, "granted", "in"),
                ev.tap(T0.plusSeconds(7200), "maker-1", "C2", true, "granted", "in"),
                ev.raised(T0.plusSeconds(1), "maker-1", "hot:maker-1:env-1"),
                ev.availability(T0.plusSeconds(2), "maker-1", "env-1", false),
                ev.readerStatus(T0.plusSeconds(3), "maker-1", "maker-1-door", "online")));
        assertThat(maker().alarms()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("hot");
            assertThat(a.value()).isEqualTo(36.5);
            assertThat(a.since()).isEqualTo(T0.plusSeconds(1));
        });
        assertThat(maker().sensors()).singleElement().satisfies(s -> assertThat(s.online()).isFalse());
        assertThat(maker().readers()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo("online");
            assertThat(r.since()).isEqualTo(T0.plusSeconds(3));
        });
        state.apply(List.of(ev.cleared(T0.plusSeconds(60), "maker-1", "hot:maker-1:env-1"),
                ev.reset(T0.plusSeconds(9000), "maker-1", T0.plusSeconds(3600))));
        assertThat(maker().alarms()).isEmpty();
        assertThat(maker().occupancy().occupants()).as("only who entered before the cut is taken out")
                .extracting(RoomView.Occupant::card).containsExactly("C2");
        assertThat(maker().occupancy().lastReset()).isEqualTo(T0.plusSeconds(9000));
    }

    @Test
    void events_already_applied_and_unknown_rooms_are_ignored() {
        JournalEvent in = ev.tap(T0, "maker-1", "C1", true, "granted", "in");
        state.apply(List.of(in));
        state.apply(List.of(in));
        state.apply(List.of(ev.tap(T0, "no-such-room", "C9", true, "granted", "in")));
        assertThat(state.occupants("maker-1")).isEqualTo(1);
        assertThat(state.stats().applied()).isEqualTo(2);
        assertThat(state.stats().unknownRoom()).isEqualTo(1);
    }

    @Test
    void a_snapshot_restores_exactly_the_same_views() throws Exception {
        state.apply(List.of(
                ev.tap(T0, "maker-1", "C1", true, "granted", "in"),
                ev.reading(T0, "maker-1", "laser-1", "power", 1200.25),
                ev.reading(T0.plusSeconds(90), "maker-1", "env-1", "temperature", 21.1),
                ev.reading(T0.plusSeconds(200), "maker-1", "env-1", "temperature", 23.7),
                ev.raised(T0.plusSeconds(1), "maker-1", "hot:maker-1:env-1"),
                ev.availability(T0, "studio-1", "lamp", true)));
        String json = EventJson.write(state.snapshot());
        RoomsState restored = RoomEvents.newState();
        restored.restore(EventJson.MAPPER.readValue(json, RoomsSnapshot.class));
        assertThat(EventJson.write(restored.views())).isEqualTo(EventJson.write(state.views()));
        assertThat(restored.marks()).isEqualTo(state.marks());
    }

    @Test
    void an_acknowledgement_marks_the_raise_it_names_the_first_one_stands_and_a_snapshot_keeps_it() throws Exception {
        String alarm = "hot:maker-1:env-1";
        state.apply(List.of(ev.raised(T0, "maker-1", alarm),
                ev.acknowledged(T0.plusSeconds(5), "maker-1", alarm, T0.minusSeconds(60), "old-raise", null)));
        assertThat(maker().alarms().get(0).acknowledged()).as("an acknowledgement of an earlier raise").isNull();

        state.apply(List.of(ev.acknowledged(T0.plusSeconds(10), "maker-1", alarm, T0, "manager-1", "checking the vent"),
                ev.acknowledged(T0.plusSeconds(20), "maker-1", alarm, T0, "manager-2", null)));
        assertThat(maker().alarms()).singleElement().satisfies(a -> {
            assertThat(a.acknowledged().by()).isEqualTo("manager-1");
            assertThat(a.acknowledged().at()).isEqualTo(T0.plusSeconds(10));
            assertThat(a.acknowledged().note()).isEqualTo("checking the vent");
        });
        String json = EventJson.write(state.snapshot());
        RoomsState restored = RoomEvents.newState();
        restored.restore(EventJson.MAPPER.readValue(json, RoomsSnapshot.class));
        assertThat(EventJson.write(restored.views())).isEqualTo(EventJson.write(state.views()));

        state.apply(List.of(ev.cleared(T0.plusSeconds(60), "maker-1", alarm), ev.raised(T0.plusSeconds(120), "maker-1", alarm)));
        assertThat(maker().alarms()).singleElement().satisfies(a -> assertThat(a.acknowledged())
                .as("raised again: not acknowledged").isNull());
    }
}
