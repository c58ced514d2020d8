package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code campus-edge report usage} against a running data center holding one school's taps. */
class ReportCommandIT {

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out;
    private final ByteArrayOutputStream err = std.err;

    @TempDir
    Path dir;

    private static WireEvent tap(long seq, String at, String card, String direction) {
        return new WireEvent(seq, "access.decision", Instant.parse(at), "{\"room\":\"studio-1\",\"roomType\":\"recording-studio\","
                + "\"card\":\"" + card + "\",\"granted\":true,\"reason\":\"granted\",\"direction\":\"" + direction + "\"}");
    }

    @Test
    void prints_the_usage_report_as_csv_and_as_a_table_and_fails_clearly_on_a_device_token() throws Exception {
        Path config = dir.resolve("datacenter.yaml");
        Files.writeString(config, """
                http: {bind: [127.0.0.1], port: 0}
                storage: {path: data/center.db}
                devices:
                  - {id: school-017-box-1, school: No. 17 Middle School, token: token-of-school-017-box-1}
                queries:
                  zone: Asia/Shanghai
                  readers:
                    - {name: city-bureau, token: token-of-the-city-bureau}
                """);
        Path bureau = dir.resolve("bureau.token");
        Files.writeString(bureau, "token-of-the-city-bureau\n");
        Path device = dir.resolve("device.token");
        Files.writeString(device, "token-of-school-017-box-1\n");
        try (DataCenter center = new DataCenter(DataCenterConfig.load(config))) {
            center.start();
            center.store().ingest(IngestBatch.of("school-017-box-1", "priority", List.of(
                    tap(1, "2026-09-07T01:00:00Z", "hk1:aa", "in"), tap(2, "2026-09-07T01:30:00Z", "hk1:bb", "in"),
                    tap(3, "2026-09-07T02:00:00Z", "hk1:aa", "out"), tap(4, "2026-09-07T03:00:00Z", "hk1:bb", "out"))), Instant.now());
            String url = "http://127.0.0.1:" + center.port();

            assertThat(CampusEdgeCli.run("report", "usage", "--url", url, "--token-file", bureau.toString(), "--period", "month",
                    "--from", "2026-09-01", "--to", "2026-09-30", "--format", "csv")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                    "2026-09,2026-09-01,2026-09-30,No. 17 Middle School,recording-studio,1,1,2,2.00,2\r\n");
            out.reset();

            assertThat(CampusEdgeCli.run("report", "usage", "--url", url, "--token-file", bureau.toString(), "--period", "week",
                    "--from", "2026-09-07", "--to", "2026-09-13")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("2026-W37", "No. 17 Middle School", "recording-studio", "2.00");

            assertThat(CampusEdgeCli.run("report", "usage", "--url", url, "--token-file", device.toString(), "--period", "week",
                    "--from", "2026-09-07", "--to", "2026-09-13")).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("403", "a device token may not run city-wide queries");
        }
    }
}
