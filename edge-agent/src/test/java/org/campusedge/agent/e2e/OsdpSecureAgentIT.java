package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.osdp.OsdpPdSimulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.sync.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provisioning an OSDP reader's secure channel key through the agent, then running on it. */
class OsdpSecureAgentIT {

    @TempDir
    Path dir;

    private Path config(boolean installMode) throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: IT School, time-zone: UTC}
                rooms: [{id: lab-1}]
                readers:
                  - id: lab-door
                    protocol: osdp
                    port: inproc:rs485
                    address: 3
                    room: lab-1
                    secure-channel: {key-file: keys/lab-door.key, install-mode: %s}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                """.formatted(installMode));
        return cfg;
    }

    @Test
    void install_mode_provisions_a_key_file_and_the_reader_then_runs_on_its_own_key() throws Exception {
        Path keyFile = dir.resolve("keys/lab-door.key");
        assertThatThrownBy(() -> AgentConfigLoader.load(config(false))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("readers[0].secure-channel.key-file:").hasMessageContaining("install-mode: true");

        InProcessSerialPipe line = new InProcessSerialPipe("rs485");
        line.deviceEnd().open();
        BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
        try (OsdpPdSimulator sim = new OsdpPdSimulator(line.deviceEnd(), 3)) {
            sim.setInstallMode(3, true);
            AgentOptions options = AgentOptions.defaults().withLinks(r -> line.hostEnd()).withTapObserver(taps::add);
            try (Agent agent = Agent.start(AgentConfigLoader.load(config(true)), options)) {
                Waits.until("key provisioned", Duration.ofSeconds(10), () -> Files.exists(keyFile) && sim.key(3).isPresent());
                byte[] stored = HexFormat.of().parseHex(Files.readString(keyFile).trim());
                assertThat(sim.key(3)).hasValueSatisfying(k -> assertThat(k).isEqualTo(stored));
                assertThat(Files.getPosixFilePermissions(keyFile))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                assertThat(agent.readerCounters("lab-door").online()).isTrue();
            }
            try (Agent agent = Agent.start(AgentConfigLoader.load(config(false)),
                    AgentOptions.defaults().withLinks(r -> line.hostEnd()).withTapObserver(taps::add))) {
                Waits.until("secure session on the own key", Duration.ofSeconds(10),
                        () -> agent.readerCounters("lab-door").online());
                sim.presentCard(3, 26, HexFormat.of().parseHex("80800080"));
                TapOutcome tap = taps.poll(10, TimeUnit.SECONDS);
                assertThat(tap).as("a card read over the secure channel on the reader's own key").isNotNull();
                assertThat(tap.decision().reason()).isEqualTo(ReasonCode.UNKNOWN_CARD);
            }
        }
    }
}
