package org.campusedge.agent.e2e;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.wiegand.WiegandEncoder;
import org.campusedge.bridge.wiegand.WiegandFormat;
import org.campusedge.bridge.wiegand.WiegandReaderConfig;
import org.campusedge.bridge.wiegand.WiegandSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A Wiegand reader on Pi4J's mock GPIO: frames on D0/D1 become decisions that drive relay and buzzer. */
class WiegandAgentIT {

    @TempDir
    Path dir;

    @Test
    void a_wiegand_card_opens_the_door_and_a_parity_error_is_refused() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: IT School, time-zone: UTC}
                rooms: [{id: steam-1, type: steam-room}]
                readers:
                  - {id: steam-door, protocol: wiegand, d0-pin: 5, d1-pin: 6, room: steam-1,
                     relay-pin: 17, buzzer-pin: 18, relay-pulse: 300ms, inter-bit-timeout: 100ms}
                gpio: {provider: mock}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                """);
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until\n6025,T-0113,steam-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", dir.resolve("cards.csv").toString()))
                .isZero();
        BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
        try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withTapObserver(taps::add))) {
            var gpio = agent.gpio().orElseThrow();
            DigitalOutput relay = gpio.registry().allByType(DigitalOutput.class).values().stream()
                    .filter(o -> o.config().address() == 17).findFirst().orElseThrow();
            List<DigitalState> relayStates = new CopyOnWriteArrayList<>();
            relay.addListener(e -> relayStates.add(e.state()));
            WiegandSimulator sim = new WiegandSimulator(gpio, WiegandReaderConfig.of("steam-door", 5, 6));

            // Facility 113, card 6025: the Proxmark3 example the codec tests also use.
            sim.play(WiegandEncoder.card(WiegandFormat.H10301, 113, 6025));
            TapOutcome tap = taps.poll(15, TimeUnit.SECONDS);
            assertThat(tap).isNotNull();
            assertThat(tap.read().format()).isEqualTo("H10301");
            assertThat(tap.read().cardId()).isEqualTo("6025");
            assertThat(tap.decision().reason()).isEqualTo(ReasonCode.GRANTED);
            assertThat(tap.read().facilityCode()).hasValue(113);
            Waits.until("journaled with its facility code", Duration.ofSeconds(15), () -> agent.journal()
                    .query(org.campusedge.agent.journal.EventQuery.latest(10)).stream()
                    .anyMatch(e -> e.payloadJson().contains("\"card\":\"6025\",\"facility\":113")));
            Waits.until("relay pulse", Duration.ofSeconds(15), () -> relayStates.size() >= 2);
            assertThat(relayStates).startsWith(DigitalState.HIGH, DigitalState.LOW);

            sim.play(WiegandEncoder.card(WiegandFormat.H10301, 113, 6026).withBitFlipped(25));
            assertThat(taps.poll(800, TimeUnit.MILLISECONDS)).as("a frame failing parity is no tap").isNull();
            assertThat(agent.readerCounters("steam-door").checksumErrors()).isEqualTo(1);
        }
    }
}
