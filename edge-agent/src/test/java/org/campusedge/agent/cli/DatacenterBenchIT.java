package org.campusedge.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench datacenter} at a small scale: both back ends, a child data center JVM, every event checked. */
class DatacenterBenchIT {

    @RegisterExtension
    final StdStreams std = new StdStreams();

    @TempDir
    Path dir;

    @Test
    void prints_rates_for_both_stores_and_finds_every_event_once() {
        int exit = CampusEdgeCli.run("bench", "datacenter", "--boxes", "5", "--events-per-box", "1000", "--batch", "250",
                "--backlog", "5000", "--heap", "256m", "--dir", dir.toString());
        String printed = std.out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed + std.err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("PostgreSQL (schema ce_bench_", "SQLite (WAL").containsPattern("5 boxes at once over HTTP: [0-9,]+ events/s")
                .containsPattern("5,000-event backlog \\(uplink, batches of 250\\): [0-9.]+ s")
                .doesNotContain("every event once: NO");
        assertThat(printed.split("every event once: yes", -1)).hasSize(5);
    }
}
