package org.campusedge.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench dashboard} at a small scale against the real Mosquitto and Debian's Chromium: a
 * child agent JVM, three live streams, the grid loaded in the browser. Asserts that it measured
 * (every stream got updates, every grid load showed every room); the figures are the bench's.
 */
class DashboardBenchIT {

    @RegisterExtension
    final StdStreams std = new StdStreams();

    @TempDir
    Path dir;

    @Test
    void times_the_grid_in_chromium_and_counts_live_updates_under_ingest() {
        int exit = CampusEdgeCli.run("bench", "dashboard", "--rooms", "12", "--dashboards", "3", "--messages", "20000",
                "--warmup", "0", "--page-loads", "2", "--heap", "128m", "--browser", "/usr/bin/chromium", "--dir", dir.toString());
        String printed = std.out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed + std.err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).containsPattern("grid ready, idle: first load [0-9]+ ms, median [0-9]+ ms \\(page parsed [0-9]+, rooms fetched [0-9]+\\), worst [0-9]+ ms of 2 loads")
                .containsPattern("grid ready, under ingest \\([0-9,]+ msg/s\\) \\+ 3 dashboards: first load [0-9]+ ms")
                .containsPattern("ingest, no dashboard open: +[0-9,]+ msg/s")
                .contains("0 lost their connection");
        Matcher slowest = Pattern.compile("per dashboard \\(slowest ([0-9,]+),").matcher(printed);
        assertThat(slowest.find()).as(printed).isTrue();
        assertThat(Long.parseLong(slowest.group(1).replace(",", ""))).as("every stream got room updates while ingest ran").isPositive();
    }
}
