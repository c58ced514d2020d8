package org.campusedge.agent.e2e;

import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.journal.JournalRetention;
import org.campusedge.agent.journal.SensorAggregator;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.wire.DeclaredGaps;
import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A box whose journal outgrew its disk budget while the data center was away: unsent readings are
 * deleted as a gap, the uplink declares it, and the center's events plus declared gaps add up to
 * what the box journaled, stream by stream.
 */
class GapToDataCenterIT {

    private static final Instant T0 = Instant.parse("2026-11-29T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void unsent_readings_deleted_for_space_reach_the_center_as_a_declared_gap_and_nothing_is_silent() throws Exception {
        Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);
        try (Journal journal = Journal.open(new StorageConfig(dir.resolve("journal.db"), StorageConfig.Durability.NORMAL,
                Duration.ofMillis(1), 2_000), clock)) {
            List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
            for (int i = 0; i < 12_000; i++) {   // 20 minutes of readings, 10 a second
                fs.add(journal.append(new JournalEntry(EventType.SENSOR_READING, T0.plusMillis(100L * i), Optional.of("studio-1"),
                        String.format(Locale.ROOT, "{\"room\":\"studio-1\",\"sensor\":\"air-%d\",\"metric\":\"co2\",\"value\":%d,"
                                + "\"unit\":\"ppm\",\"topic\":\"school/studio-1/air-%d/co2\"}", i % 10, 400 + i % 300, i % 10))));
                if (i % 1_000 == 0) {
                    fs.add(journal.append(new JournalEntry(EventType.ACCESS_DECISION, T0.plusMillis(100L * i),
                            Optional.of("studio-1"), "{\"card\":\"0A00D6E3F2\",\"decision\":\"granted\"}")));
                }
            }
            fs.forEach(CompletableFuture::join);
            SensorAggregator aggregator = new SensorAggregator(journal, clock, Duration.ofSeconds(10));
            assertThat(aggregator.runPending()).isEqualTo(20);
            SensorAggregator.Stats a = aggregator.stats();
            System.out.printf("aggregation: %d readings in %d minutes -> %d aggregates, %.1f us per reading%n",
                    a.readings(), a.minutes(), a.aggregates(), a.busyNanos() / 1e3 / a.readings());
            JournalRetention retention = new JournalRetention(journal,
                    StorageConfig.Retention.DEFAULTS.withDiskBudget(1L << 20), clock, aggregator::doneBefore);
            JournalRetention.Stats s = retention.runOnce();
            assertThat(s.deletedBudgetUnacked()).isPositive();
            assertThat(journal.undeclaredGaps("readings")).hasSize(1);

            try (DataCenter center = TestSchool.startDataCenter(dir);
                 UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TestSchool.TOKEN,
                         Duration.ofSeconds(5));
                 Uplink uplink = new Uplink(journal, client, UplinkOptions.defaults(TestSchool.DEVICE).withBatchSize(500)
                         .withPollInterval(Duration.ofMillis(100)))) {
                uplink.start();
                for (String stream : journal.streams()) {
                    uplink.drainedTo(stream, journal.lastSeq(stream)).get(60, TimeUnit.SECONDS);
                }

                DeclaredGaps gaps = center.store().gaps(TestSchool.DEVICE);
                for (String stream : journal.streams()) {
                    assertThat(center.store().count(TestSchool.DEVICE, stream) + gaps.lost(stream))
                            .as("events plus declared losses of %s", stream).isEqualTo(journal.lastSeq(stream));
                }
                assertThat(gaps.lost("readings")).isEqualTo(s.deletedBudgetUnacked());
                assertThat(gaps.lost("priority")).isZero();
                assertThat(center.store().count(TestSchool.DEVICE, "aggregates")).isEqualTo(journal.lastSeq("aggregates"));
                assertThat(journal.gapTotals().declared()).isEqualTo(1);
                assertThat(journal.undeclaredGaps("readings")).isEmpty();
                assertThat(journal.pending().values()).allMatch(n -> n == 0);

                HttpResponse<String> listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + center.port() + "/v1/devices/" + TestSchool.DEVICE + "/gaps"))
                        .header("Authorization", "Bearer " + TestSchool.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(listed.statusCode()).isEqualTo(200);
                assertThat(JsonCodec.decode(listed.body(), DeclaredGaps.class).gaps()).singleElement()
                        .satisfies(g -> {
                            assertThat(g.stream()).isEqualTo("readings");
                            assertThat(g.fromSeq()).isEqualTo(1);
                            assertThat(g.reason()).isEqualTo("disk_budget");
                        });
            }
        }
    }
}
