package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.pn532.Pn532Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A campus card (ISO 14443A, 7-byte UID) on a PN532 reader decided by the agent. */
class Pn532AgentIT {

    @TempDir
    Path dir;

    @Test
    void a_pn532_reader_reads_a_campus_card_and_the_agent_decides() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: IT School, time-zone: UTC}
                rooms: [{id: maker-1, type: maker-space}]
                readers: [{id: maker-door, protocol: pn532, port: "inproc:pn532", room: maker-1, relay-pin: 22}]
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                """);
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until\n047BCB51962280,S-0042,maker-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", dir.resolve("cards.csv").toString()))
                .isZero();
        InProcessSerialPipe line = new InProcessSerialPipe("pn532");
        line.deviceEnd().open();
        BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
        try (Pn532Simulator sim = new Pn532Simulator("maker", line.deviceEnd());
             Agent agent = Agent.start(AgentConfigLoader.load(cfg),
                     AgentOptions.defaults().withLinks(r -> line.hostEnd()).withTapObserver(taps::add))) {
            sim.start();
            Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("maker-door").online());
            sim.present("047BCB51962280");
            TapOutcome tap = taps.poll(10, TimeUnit.SECONDS);
            assertThat(tap).isNotNull();
            assertThat(tap.read().format()).isEqualTo("ISO14443A");
            assertThat(tap.read().bitCount()).isEqualTo(56);
            assertThat(tap.decision().reason()).isEqualTo(ReasonCode.GRANTED);
            assertThat(tap.decision().person()).hasValue("S-0042");
            assertThat(taps.poll(1500, TimeUnit.MILLISECONDS)).as("a card left on the reader is one tap").isNull();
        }
    }
}
