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
 * {@code bench mqtt} at a small scale against the real Mosquitto: the baselines, a child agent JVM
 * at a capped heap fed at two offered rates and then flat out. Asserts that it measured — every
 * message of a rate the agent sustained was committed, the figures add up — not how fast: the
 * figures are the bench's.
 */
class MqttBenchIT {

    @RegisterExtension
    final StdStreams std = new StdStreams();

    @TempDir
    Path dir;

    @Test
    void measures_sustained_rates_and_overload_with_baselines_and_ratios() {
        int exit = CampusEdgeCli.run("bench", "mqtt", "--messages", "10000", "--warmup", "5000", "--rates", "2000,4000",
                "--rooms", "4", "--sensors-per-room", "5", "--heap", "64m", "--dir", dir.toString());
        String printed = std.out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed + std.err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).containsPattern("raw SQLite batched insert .*: [0-9,]+ rows/s")
                .containsPattern("raw-socket subscriber .*:\\s+[0-9,]+ msg/s")
                .containsPattern("bare Paho subscriber .*:\\s+[0-9,]+ msg/s")
                .contains("-Xmx64m -XX:+UseSerialGC")
                .containsPattern("flat out \\(overload\\): committed [0-9,]+ of 10,000 .* -> (kept up|fell behind)")
                .containsPattern("ratios: sustained / raw SQLite = [0-9.]+, sustained / raw-socket subscriber = [0-9.]+")
                .containsPattern("target: >= 50,000 msg/s sustained -> (met|NOT met)");
        // A few thousand messages a second is far below what any box takes: both rates sustained.
        Matcher step = Pattern.compile("offered ([0-9,]+) msg/s: committed ([0-9,]+) of ([0-9,]+) \\(broker dropped ([0-9,]+),"
                + " ingest dropped ([0-9,]+), ingest waited for the journal [0-9,]+ times\\) in ([0-9.]+) s = ([0-9,]+) msg/s.* -> (sustained|NOT sustained)").matcher(printed);
        int steps = 0;
        while (step.find()) {
            steps++;
            assertThat(step.group(8)).as(printed).isEqualTo("sustained");
            assertThat(number(step.group(2))).isEqualTo(10_000).isEqualTo(number(step.group(3)));
            assertThat(number(step.group(4)) + number(step.group(5))).isZero();
            double rate = number(step.group(7));
            double offered = number(step.group(1));
            assertThat(rate).as("committed over the run at about the offered pace").isBetween(0.5 * offered, 1.05 * offered);
        }
        assertThat(steps).as(printed).isEqualTo(2);
        assertThat(printed).containsPattern("highest sustained rate: [0-9,]+ msg/s")
                .contains("every offered rate was sustained: the agent's limit lies above 4,000 msg/s");
    }

    private static long number(String figure) {
        return Long.parseLong(figure.replace(",", ""));
    }
}
