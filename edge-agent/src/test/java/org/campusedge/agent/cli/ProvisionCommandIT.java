package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException;
import org.campusedge.sync.wire.Backlog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code campus-edge provision} against a data center's registry, with the data center running. */
class ProvisionCommandIT {

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out;
    private final ByteArrayOutputStream err = std.err;

    @TempDir
    Path dir;

    private String takeStdout() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    @Test
    void creates_lists_and_revokes_devices_in_the_registry_of_a_running_data_center() throws Exception {
        Path config = dir.resolve("datacenter.yaml");
        Files.writeString(config, """
                http: {bind: [127.0.0.1], port: 0}
                storage: {path: data/center.db}
                devices:
                  - {id: school-001-box-1, school: Old School, token: token-from-the-yaml-file}
                """);
        try (DataCenter center = new DataCenter(DataCenterConfig.load(config))) {
            center.start();
            Path tokenFile = dir.resolve("box.token");

            assertThat(CampusEdgeCli.run("provision", "--config", config.toString(), "--id", "school-017-box-1",
                    "--school", "No. 17 Middle School", "--token-file", tokenFile.toString())).isZero();
            String created = takeStdout();
            Matcher m = Pattern.compile("shown only now:\\s+([0-9a-f]{48})").matcher(created);
            assertThat(m.find()).as(created).isTrue();
            String token = m.group(1);
            assertThat(Files.readString(tokenFile).trim()).isEqualTo(token);
            assertThat(created).contains(dir.resolve("data/center-devices.db").toString(), "id: school-017-box-1",
                    "token-file: " + tokenFile.toAbsolutePath()).doesNotContain("devices:)");

            try (UplinkClient box = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), token, Duration.ofSeconds(5))) {
                assertThat(box.fetchMarks("school-017-box-1").deviceId()).isEqualTo("school-017-box-1");

                assertThat(CampusEdgeCli.run("provision", "--config", config.toString(), "--list")).isZero();
                String listed = takeStdout();
                assertThat(listed).contains("DEVICE", "LAST CONTACT", "school-001-box-1", "Old School", "config");
                assertThat(listed.lines().filter(l -> l.startsWith("school-017-box-1")).findFirst().orElseThrow())
                        .contains("No. 17 Middle School", "provisioned").matches(".*\\d{4}-\\d\\d-\\d\\dT.*\\s-\\s+\\d{4}-.*");
                // No backlog reported yet: unknown, not 0. Then the box reports one, which the center writes within seconds.
                assertThat(listed).contains("BEHIND (EVENTS)", "BEHIND (S)");
                assertThat(listed.lines().filter(l -> l.startsWith("school-017-box-1")).findFirst().orElseThrow()).contains("unknown");
                Instant oldest = Instant.now().minusSeconds(3_600);
                box.reportBacklog(() -> Optional.of(new Backlog(Map.of("priority", Backlog.Stream.empty(),
                        "readings", new Backlog.Stream(4_242, Optional.of(oldest))))));
                box.fetchMarks("school-017-box-1");
                String behind = "";
                for (long deadline = System.nanoTime() + 30_000_000_000L; !behind.contains(" 4242 ") && System.nanoTime() < deadline; ) {
                    Thread.sleep(200);
                    assertThat(CampusEdgeCli.run("provision", "--config", config.toString(), "--list")).isZero();
                    behind = takeStdout().lines().filter(l -> l.startsWith("school-017-box-1")).findFirst().orElseThrow();
                }
                assertThat(behind).matches(".* 4242 +36\\d\\d .*");

                assertThat(CampusEdgeCli.run("provision", "--config", config.toString(), "--revoke", "school-017-box-1")).isZero();
                assertThat(takeStdout()).contains("school-017-box-1 is revoked");
                assertThatThrownBy(() -> box.fetchMarks("school-017-box-1")).isInstanceOfSatisfying(UplinkException.class,
                        e -> assertThat(e.status()).isEqualTo(403));
            }
            assertThat(CampusEdgeCli.run("provision", "--config", config.toString(), "--list")).isZero();
            assertThat(takeStdout().lines().filter(l -> l.startsWith("school-017-box-1")).findFirst().orElseThrow())
                    .doesNotContain(" - ");
            assertThat(center.stats().revoked()).isEqualTo(1);
        }
    }

    @Test
    void refuses_a_taken_id_an_unknown_revoke_and_mixed_modes() throws Exception {
        Path config = dir.resolve("datacenter.yaml");
        Files.writeString(config, "storage: {path: center.db}\n");
        assertThat(CampusEdgeCli.run("provision", "-c", config.toString(), "--id", "box-1", "--school", "X")).isZero();

        assertThat(CampusEdgeCli.run("provision", "-c", config.toString(), "--id", "box-1", "--school", "Y")).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("device box-1 already exists");
        assertThat(CampusEdgeCli.run("provision", "-c", config.toString(), "--revoke", "nobody")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no device nobody");
        assertThat(CampusEdgeCli.run("provision", "--list")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--list needs --config");
        assertThat(CampusEdgeCli.run("provision", "-c", config.toString(), "--list", "--revoke", "box-1")).isEqualTo(2);
        assertThat(CampusEdgeCli.run("provision", "-c", config.toString(), "--id", "box-2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs both --id and --school");
    }
}
