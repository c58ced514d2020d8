package org.campusedge.agent.alarms;

import org.campusedge.agent.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.rooms.RoomsState;
import org.campusedge.sync.config.ConfigNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against a real room state: what it raises and clears is journaled (here: folded
 * straight back into the state, as the journal's commit listener does).
 */
class AlarmEngineTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T02:00:00Z"));
    private final RoomsState state = new RoomsState(List.of(
            new RoomConfig("maker-1", "Maker", RoomType.MAKER_SPACE, 20),
            new RoomConfig("studio-1", "Studio", RoomType.RECORDING_STUDIO, 4)), List.<ReaderConfig>of(), 5.0);
    private final List<JournalEntry> emitted = new ArrayList<>();
    private final Map<EventStream, Long> seq = new EnumMap<>(EventStream.class);

    private AlarmEngine engine(String yaml) throws Exception {
        List<AlarmRule> rules = AlarmRules.read(ConfigNode.parse(yaml, "test.yaml").sections("alarms"),
                Set.of("maker-1", "studio-1"));
        return new AlarmEngine(rules, clock, e -> {
            emitted.add(e);
            commit(e);
        });
    }

    private void commit(JournalEntry e) {
        long s = seq.merge(e.type().stream(), 1L, Long::sum);
        state.apply(List.of(new JournalEvent(e.type().stream(), s, e.type().wireName(), e.occurredAt(), e.occurredAt(),
                e.room(), e.payloadJson())));
    }

    private void reading(String room, String sensor, String metric, double value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("room", room);
        body.put("sensor", sensor);
        body.put("metric", metric);
        body.put("value", value);
        body.put("unit", "u");
        commit(new JournalEntry(EventType.SENSOR_READING, clock.instant(), Optional.of(room), EventJson.write(body)));
    }

    private void tapIn(String room, String card) {
        commit(new JournalEntry(EventType.ACCESS_DECISION, clock.instant(), Optional.of(room), EventJson.write(Map.of(
                "reader", "r", "room", room, "card", card, "granted", true, "reason", "granted", "direction", "in"))));
    }

    private List<String> kinds() {
        return emitted.stream().map(e -> e.type().wireName()).toList();
    }

    private JsonNode body(int i) throws Exception {
        return EventJson.MAPPER.readTree(emitted.get(i).payloadJson());
    }

    @Test
    void threshold_raises_after_holding_for_its_duration_and_clears_past_the_hysteresis() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: maker-hot, room-types: [maker-space], metric: temperature, above: 35, hysteresis: 2, for: 2m,
                     severity: critical, message: "Maker space too hot"}
                """);
        reading("maker-1", "env-1", "temperature", 36);
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(119));
        engine.evaluate(state.views());
        assertThat(emitted).as("not yet held for 2 minutes").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised");
        assertThat(body(0).path("alarm").asText()).isEqualTo("maker-hot:maker-1:env-1");
        assertThat(body(0).path("severity").asText()).isEqualTo("critical");
        assertThat(body(0).path("value").asDouble()).isEqualTo(36.0);
        assertThat(body(0).path("threshold").asDouble()).isEqualTo(35.0);
        assertThat(emitted.get(0).type().stream()).isEqualTo(EventStream.PRIORITY);
        assertThat(state.view("maker-1").orElseThrow().alarms()).singleElement()
                .satisfies(a -> assertThat(a.message()).isEqualTo("Maker space too hot"));

        reading("maker-1", "env-1", "temperature", 34); // below 35 but inside the hysteresis band
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised");
        reading("maker-1", "env-1", "temperature", 33);
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised", "alarm.cleared");
        assertThat(state.view("maker-1").orElseThrow().alarms()).isEmpty();
    }

    @Test
    void a_dip_below_the_limit_restarts_the_hold_period_and_other_rooms_are_not_covered() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: co2, rooms: [maker-1], metric: co2, above: 1500, for: 1m}
                """);
        reading("maker-1", "air", "co2", 1600);
        reading("studio-1", "air", "co2", 5000);
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(50));
        reading("maker-1", "air", "co2", 1400);
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(5));
        reading("maker-1", "air", "co2", 1700);
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(50));
        engine.evaluate(state.views());
        assertThat(emitted).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised");
        assertThat(body(0).path("room").asText()).isEqualTo("maker-1");
    }

    @Test
    void laser_cutter_drawing_power_with_nobody_badged_in() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: laser-unattended, kind: unattended, sensors: [laser-1], above: 50, for: 30s, severity: critical}
                """);
        tapIn("maker-1", "C1");
        reading("maker-1", "laser-1", "power", 1200);
        reading("maker-1", "printer-1", "power", 300);
        engine.evaluate(state.views());
        clock.advance(Duration.ofMinutes(5));
        engine.evaluate(state.views());
        assertThat(emitted).as("someone is badged in").isEmpty();

        commit(new JournalEntry(EventType.ACCESS_DECISION, clock.instant(), Optional.of("maker-1"), EventJson.write(Map.of(
                "reader", "r", "room", "maker-1", "card", "C1", "granted", true, "reason", "exit", "direction", "out"))));
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(30));
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised");
        assertThat(body(0).path("sensor").asText()).as("only the laser cutter is watched").isEqualTo("laser-1");
        assertThat(body(0).path("kind").asText()).isEqualTo("unattended");

        tapIn("maker-1", "C2");
        engine.evaluate(state.views());
        assertThat(kinds()).as("someone badged in: cleared").containsExactly("alarm.raised", "alarm.cleared");
    }

    @Test
    void silent_sensor_and_sensor_reporting_offline() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: silent, kind: silent, after: 5m}
                """);
        reading("studio-1", "env-2", "humidity", 40);
        clock.advance(Duration.ofMinutes(4));
        engine.evaluate(state.views());
        assertThat(emitted).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised");
        assertThat(body(0).path("alarm").asText()).isEqualTo("silent:studio-1:env-2");
        reading("studio-1", "env-2", "humidity", 41);
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised", "alarm.cleared");

        commit(new JournalEntry(EventType.SENSOR_AVAILABILITY, clock.instant(), Optional.of("studio-1"), EventJson.write(Map.of(
                "room", "studio-1", "sensor", "env-2", "online", false, "state", "offline", "topic", "t"))));
        engine.evaluate(state.views());
        assertThat(kinds()).as("an offline sensor needs no wait").containsExactly("alarm.raised", "alarm.cleared", "alarm.raised");
    }

    @Test
    void door_held_open() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: door-held, kind: door-held-open, for: 90s}
                """);
        reading("studio-1", "door-1", "door", 1);
        engine.evaluate(state.views());
        clock.advance(Duration.ofSeconds(90));
        engine.evaluate(state.views());
        reading("studio-1", "door-1", "door", 0);
        engine.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised", "alarm.cleared");
    }

    @Test
    void adopts_active_alarms_after_a_restart_and_clears_those_of_removed_rules() throws Exception {
        AlarmEngine first = engine("""
                alarms:
                  - {id: maker-hot, metric: temperature, above: 35}
                  - {id: co2, metric: co2, above: 1500}
                """);
        reading("maker-1", "env-1", "temperature", 40);
        reading("maker-1", "env-1", "co2", 2000);
        first.evaluate(state.views());
        assertThat(kinds()).containsExactly("alarm.raised", "alarm.raised");

        AlarmEngine second = engine("""
                alarms:
                  - {id: maker-hot, metric: temperature, above: 35}
                """);
        second.adopt(state.views());
        second.evaluate(state.views());
        assertThat(kinds()).as("still hot: not raised again; co2 rule gone: cleared")
                .containsExactly("alarm.raised", "alarm.raised", "alarm.cleared");
        assertThat(body(2).path("reason").asText()).isEqualTo("rule_removed");
        assertThat(second.active()).containsExactly("maker-hot:maker-1:env-1");
    }

    @Test
    void replaced_rules_clear_the_alarms_of_removed_or_changed_rules_and_new_rules_raise() throws Exception {
        AlarmEngine engine = engine("""
                alarms:
                  - {id: maker-hot, rooms: [maker-1], metric: temperature, above: 35}
                  - {id: maker-co2, rooms: [maker-1], metric: co2, above: 1000}
                """);
        reading("maker-1", "env-1", "temperature", 36);
        reading("maker-1", "env-1", "co2", 1200);
        engine.evaluate(state.views());
        assertThat(engine.active()).containsExactlyInAnyOrder("maker-hot:maker-1:env-1", "maker-co2:maker-1:env-1");

        List<AlarmRule> next = AlarmRules.read(ConfigNode.parse("""
                alarms:
                  - {id: maker-co2, rooms: [maker-1], metric: co2, above: 1000}
                  - {id: maker-humid, rooms: [maker-1], metric: temperature, above: 30}
                """, "downlink").sections("alarms"), Set.of("maker-1", "studio-1"));
        engine.replaceRules(next);
        assertThat(kinds()).containsExactly("alarm.raised", "alarm.raised", "alarm.cleared");
        assertThat(body(2).path("alarm").asText()).isEqualTo("maker-hot:maker-1:env-1");
        assertThat(body(2).path("reason").asText()).isEqualTo("rule_removed");
        engine.evaluate(state.views());
        assertThat(engine.active()).containsExactlyInAnyOrder("maker-co2:maker-1:env-1", "maker-humid:maker-1:env-1");
    }
}
