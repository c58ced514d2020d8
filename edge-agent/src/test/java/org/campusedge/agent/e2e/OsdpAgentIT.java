package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.osdp.OsdpCommand;
import org.campusedge.bridge.osdp.OsdpPdSimulator;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPair;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialSettings;
import org.campusedge.sync.center.DataCenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two OSDP readers on one RS-485 bus (a socat pty) driven by the agent: decisions shown on the readers themselves. */
class OsdpAgentIT {

    @TempDir
    Path dir;

    private static OsdpPdSimulator tampered(OsdpPdSimulator sim) {
        sim.setTamper(2, true);
        sim.setPowerFailure(1, true);
        return sim;
    }

    @Test
    void osdp_readers_on_one_bus_decide_show_feedback_on_the_reader_and_sync() throws Exception {
        try (DataCenter dc = TestSchool.startDataCenter(dir);
             PtyPair pty = PtyPair.open(dir.resolve("rs485-acu"), dir.resolve("rs485-bus"))) {
            Path cfg = dir.resolve("agent.yaml");
            Files.writeString(cfg, """
                    device: {id: %s, school: IT School, time-zone: UTC}
                    rooms: [{id: studio-1}, {id: robotics-1}]
                    readers:
                      - {id: studio-door, protocol: osdp, port: "%s", address: 1, room: studio-1}
                      - {id: robotics-door, protocol: osdp, port: "%s", address: 2, room: robotics-1}
                    storage: {path: agent/journal.db, durability: normal}
                    sync: {url: "http://localhost:%d", token: %s, poll-interval: 200ms, min-backoff: 50ms}
                    http: {bind: [localhost], port: 0}
                    """.formatted(TestSchool.DEVICE, pty.first(), pty.first(), dc.port(), TestSchool.TOKEN));
            Path csv = dir.resolve("cards.csv");
            // H10301 facility 1, card 1: the allow-list holds its card number.
            Files.writeString(csv, "card_id,person,rooms,valid_from,valid_until\n1,S-0117,studio-1,,\n");
            assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", csv.toString())).isZero();

            BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
            try (SerialLink bus = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), 9600))) {
                bus.open();
                try (OsdpPdSimulator sim = tampered(new OsdpPdSimulator(bus, 1, 2));
                     Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withTapObserver(taps::add))) {
                    Waits.until("both readers online", Duration.ofSeconds(10),
                            () -> agent.readerCounters("studio-door").online() && agent.readerCounters("robotics-door").online());

                    Waits.until("tamper journaled", Duration.ofSeconds(15), () -> agent.journal()
                            .query(org.campusedge.agent.journal.EventQuery.latest(50)).stream()
                            .anyMatch(e -> e.type().equals("reader.alert") && e.payloadJson().contains("\"tamper\"")
                                    && e.payloadJson().contains("\"robotics-door\"")));
                    assertThat(agent.doorStats().activeAlerts("robotics-door")).containsExactly("tamper");
                    Waits.until("power failure seen", Duration.ofSeconds(15),
                            () -> agent.doorStats().activeAlerts("studio-door").contains("power_failure"));

                    sim.presentCard(1, 26, HexFormat.of().parseHex("80800080"));
                    TapOutcome granted = taps.poll(15, TimeUnit.SECONDS);
                    assertThat(granted).isNotNull();
                    assertThat(granted.reader().id()).isEqualTo("studio-door");
                    assertThat(granted.decision().reason()).isEqualTo(ReasonCode.GRANTED);
                    Waits.until("strike pulsed by the reader", Duration.ofSeconds(15), () -> sim.received().stream()
                            .anyMatch(r -> r.address() == 1 && r.command() == OsdpCommand.OUT));

                    sim.presentCard(2, 26, HexFormat.of().parseHex("80800080"));
                    TapOutcome denied = taps.poll(15, TimeUnit.SECONDS);
                    assertThat(denied).isNotNull();
                    assertThat(denied.decision().reason()).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
                    Waits.until("denial shown", Duration.ofSeconds(15), () -> sim.received().stream()
                            .anyMatch(r -> r.address() == 2 && r.command() == OsdpCommand.BUZ));
                    assertThat(sim.received().stream().filter(r -> r.address() == 2 && r.command() == OsdpCommand.OUT))
                            .as("no strike pulse on a denial").isEmpty();

                    sim.setSilent(2, true);
                    Waits.until("silent reader offline", Duration.ofSeconds(15),
                            () -> !agent.readerCounters("robotics-door").online());
                    Waits.until("offline journaled", Duration.ofSeconds(15), () -> agent.journal()
                            .query(org.campusedge.agent.journal.EventQuery.latest(50)).stream()
                            .anyMatch(e -> e.type().equals("reader.status") && e.payloadJson().contains("\"offline\"")));
                    long last = agent.journal().lastSeq("priority");
                    Waits.until("journal synced", Duration.ofSeconds(10),
                            () -> dc.store().count(TestSchool.DEVICE, "priority") >= last);
                }
            }
        }
    }
}
