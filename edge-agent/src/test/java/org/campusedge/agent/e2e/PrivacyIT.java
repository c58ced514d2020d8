package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With privacy configured, the city receives pseudonyms; the box's own journal keeps the card numbers. */
class PrivacyIT {

    @TempDir
    Path dir;

    @Test
    void card_numbers_reach_the_city_only_as_keyed_hashes() throws Exception {
        try (DataCenter dc = TestSchool.startDataCenter(dir)) {
            Files.writeString(dir.resolve("city.key"), "6b2f1c0e9a8d7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080\n");
            Path cfg = dir.resolve("agent.yaml");
            Files.writeString(cfg, """
                    device: {id: %s, school: IT School, time-zone: Asia/Shanghai}
                    rooms: [{id: studio-1, type: recording-studio}]
                    readers: [{id: studio-door, protocol: rdm6300, port: inproc, room: studio-1}]
                    storage: {path: agent/journal.db, durability: normal}
                    sync: {url: "http://localhost:%d", token: %s, poll-interval: 200ms}
                    http: {bind: [localhost], port: 0}
                    privacy: {pseudonymise: [card], key-file: city.key}
                    """.formatted(TestSchool.DEVICE, dc.port(), TestSchool.TOKEN));
            InProcessSerialPipe pipe = new InProcessSerialPipe("studio-door");
            pipe.deviceEnd().open();
            try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withLinks(r -> pipe.hostEnd()));
                 Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
                Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("studio-door").online());
                sim.present(TestSchool.UNKNOWN_CARD, Duration.ofMillis(200));
                long last = Waits.committed(agent.journal(), "access.decision", 1).get(0).seq();
                Waits.until("at the center", Duration.ofSeconds(15), () -> dc.store().count(TestSchool.DEVICE, "priority") >= last);
                assertThat(agent.journal().query(EventQuery.latest(100)).stream().filter(e -> e.type().equals("access.decision"))
                        .findFirst().orElseThrow().payloadJson()).as("the box keeps the number").contains(TestSchool.UNKNOWN_CARD);
                List<StoredEvent> atCenter = dc.store().events(TestSchool.DEVICE, "priority", 0, 100);
                StoredEvent tap = atCenter.stream().filter(e -> e.type().equals("access.decision")).findFirst().orElseThrow();
                assertThat(tap.payloadJson()).doesNotContain(TestSchool.UNKNOWN_CARD).contains("\"card\":\"hk1:");
            }
        }
    }
}
