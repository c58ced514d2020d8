package org.campusedge.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench datacenter} at a small scale: both back ends, a child data center JVM, every event checked. */
class DatacenterBenchIT {

    @TempDir
    Path dir;

    @Test
    void prints_rates_for_both_stores_and_finds_every_event_once() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit = CampusEdgeCli.run("bench", "datacenter", "--boxes", "5", "--events-per-box", "1000", "--batch", "250",
                    "--backlog", "5000", "--heap", "256m", "--dir", dir.toString());
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);

        assertThat(exit).isZero();
        assertThat(printed).contains("PostgreSQL (schema ce_bench_", "SQLite (WAL").containsPattern("5 boxes at once over HTTP: [0-9,]+ events/s")
                .containsPattern("5,000-event backlog \\(uplink, batches of 250\\): [0-9.]+ s")
                .doesNotContain("every event once: NO");
        assertThat(printed.split("every event once: yes", -1)).hasSize(5);
    }
}
