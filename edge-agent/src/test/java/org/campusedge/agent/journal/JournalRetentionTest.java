package org.campusedge.agent.journal;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.campusedge.agent.TestClock;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.sync.wire.WireGap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class JournalRetentionTest {

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();
    private Journal journal;

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final long MB = 1L << 20;

    private final TestClock clock = new TestClock(T0);


    private Journal open() {
        journal = scratch.open(clock, Duration.ofMillis(1), 2_000);
        return journal;
    }

    private static StorageConfig.Retention retention(long budget) {
        return StorageConfig.Retention.DEFAULTS.withDiskBudget(budget);
    }

    /** {@code n} readings of about 200 bytes each, one per {@code step}, from {@code start}. */
    private static void readings(Journal j, int n, Instant start, Duration step) {
        List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(j.append(SensorAggregatorTest.reading(start.plus(step.multipliedBy(i)), "studio-" + (i % 5),
                    "multisensor-" + (i % 13) + "-with-a-long-name-for-realistic-size", "temperature", 20 + (i % 100) / 10.0)));
        }
        fs.forEach(CompletableFuture::join);
    }

    private static void priority(Journal j, int n, Instant at) {
        List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(j.append(new JournalEntry(EventType.ACCESS_DECISION, at, Optional.of("studio-1"),
                    "{\"card\":\"0A00D6E3F2\",\"decision\":\"granted\",\"n\":" + i + "}")));
        }
        fs.forEach(CompletableFuture::join);
    }

    @Test
    void deletes_only_acknowledged_events_past_their_streams_retention() {
        Journal j = open();
        readings(j, 1_000, T0, Duration.ofMinutes(1));            // T0 .. T0 + 16.6 h
        priority(j, 50, T0);
        j.acknowledge("readings", 600);
        j.acknowledge("priority", 50);
        JournalRetention r = new JournalRetention(j, retention(2L << 30), clock, () -> Instant.MAX);

        clock.set(T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(5)));  // readings of the first 5 h are past 30 d
        JournalRetention.Stats s = r.runOnce();

        assertThat(s.deletedExpired()).isEqualTo(300);
        assertThat(j.count(EventStream.READINGS)).isEqualTo(700);
        assertThat(j.after("readings", 0, 1).get(0).seq()).isEqualTo(301);
        assertThat(j.count(EventStream.PRIORITY)).isEqualTo(50);    // acknowledged, but within 400 d

        clock.set(T0.plus(Duration.ofDays(60)));                    // every reading is old; only acknowledged ones go
        r.runOnce();
        assertThat(j.count(EventStream.READINGS)).isEqualTo(400);
        assertThat(j.after("readings", 0, 1).get(0).seq()).isEqualTo(601);
        assertThat(j.gapTotals().gaps()).isZero();

        clock.set(T0.plus(Duration.ofDays(401)));
        r.runOnce();
        assertThat(j.count(EventStream.PRIORITY)).isZero();
        assertThat(r.stats().deletedExpired()).isEqualTo(650);
    }

    @Test
    void a_small_budget_takes_acknowledged_readings_first_then_unsent_ones_as_a_gap_and_the_file_shrinks() {
        Journal j = open();
        readings(j, 20_000, T0, Duration.ofSeconds(1));
        priority(j, 200, T0);                                      // unacknowledged taps: never deleted for space
        j.acknowledge("readings", 5_000);
        long before = JournalSpace.fileBytes(j.path());
        assertThat(before).isGreaterThan(3 * MB);
        Instant aggregatedBefore = T0.plusSeconds(19_000);         // the last 1000 readings are not aggregated yet
        JournalRetention r = new JournalRetention(j, retention(MB), clock, () -> aggregatedBefore);

        long t0 = System.nanoTime();
        JournalRetention.Stats s = r.runOnce();
        long nanos = System.nanoTime() - t0;

        assertThat(s.deletedBudgetAcked()).isEqualTo(5_000);
        assertThat(s.deletedBudgetUnacked()).isPositive();
        assertThat(s.usedBytes()).isLessThanOrEqualTo(MB);
        assertThat(s.fileBytes()).isLessThanOrEqualTo(MB + MB / 4);
        assertThat(s.reclaimedBytes()).isGreaterThan(2 * MB);
        assertThat(j.count(EventStream.PRIORITY)).isEqualTo(200);

        List<WireGap> gaps = j.undeclaredGaps("readings");
        assertThat(gaps).hasSize(1);
        WireGap gap = gaps.get(0);
        assertThat(gap.fromSeq()).isEqualTo(5_001);
        assertThat(gap.count()).isEqualTo(s.deletedBudgetUnacked());
        assertThat(gap.reason()).isEqualTo("disk_budget");
        assertThat(j.after("readings", 0, 1).get(0).seq()).isEqualTo(gap.toSeq() + 1);
        // Nothing silent: what is left, what the center had and what is declared lost add up.
        assertThat(j.count(EventStream.READINGS) + 5_000 + gap.count()).isEqualTo(20_000);
        assertThat(gap.toSeq()).isLessThan(19_001);                // never a reading not yet aggregated
        assertThat(j.gapTotals()).isEqualTo(new Journal.GapTotals(1, gap.count(), 0));

        // A second squeeze extends the same undeclared gap rather than starting another.
        readings(j, 4_000, T0.plusSeconds(20_000), Duration.ofMillis(1));
        JournalRetention r2 = new JournalRetention(j, retention(MB), clock, () -> Instant.MAX);
        r2.runOnce();
        assertThat(j.undeclaredGaps("readings")).hasSize(1);
        assertThat(j.undeclaredGaps("readings").get(0).fromSeq()).isEqualTo(5_001);
        assertThat(j.count(EventStream.READINGS) + 5_000 + j.undeclaredGaps("readings").get(0).count()).isEqualTo(24_000);
        System.out.printf("retention: %d readings deleted in %d ms (%.0f rows/s), writer busy %d ms; file %d -> %d bytes%n",
                s.deletedBudgetAcked() + s.deletedBudgetUnacked(), nanos / 1_000_000,
                (s.deletedBudgetAcked() + s.deletedBudgetUnacked()) * 1e9 / nanos, s.deleteNanos() / 1_000_000,
                before, s.fileBytes());
    }

    @Test
    void a_tap_waits_only_for_one_small_batch_while_retention_deletes_and_vacuums() throws Exception {
        Journal j = open();
        readings(j, 40_000, T0, Duration.ofMillis(100));
        j.acknowledge("readings", 20_000);
        JournalRetention r = new JournalRetention(j, retention(MB), clock, () -> Instant.MAX);
        java.util.concurrent.atomic.AtomicLong worstNanos = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong taps = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread door = new Thread(() -> {
            while (running.get()) {
                long t0 = System.nanoTime();
                j.append(new JournalEntry(EventType.ACCESS_DECISION, T0, Optional.of("studio-1"), "{\"n\":1}")).join();
                worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                taps.incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "test-door");
        door.start();
        while (taps.get() == 0) {
            Thread.sleep(1);
        }
        long t0 = System.nanoTime();
        long tapsBefore = taps.get();
        JournalRetention.Stats s = r.runOnce();
        long tapsDuring = taps.get() - tapsBefore;
        long nanos = System.nanoTime() - t0;
        running.set(false);
        door.join();

        assertThat(s.usedBytes()).isLessThanOrEqualTo(MB);
        assertThat(j.count(EventStream.PRIORITY)).isEqualTo(taps.get());
        System.out.printf("retention under load: %d rows deleted, %d MB reclaimed in %d ms; %d taps during it, slowest %.1f ms%n",
                s.deletedBudgetAcked() + s.deletedBudgetUnacked(), s.reclaimedBytes() >> 20, nanos / 1_000_000, tapsDuring,
                worstNanos.get() / 1e6);
        // Retention deletes in small batches, each its own turn on the writer: taps keep being
        // committed while it runs (if it held the writer for the whole run, at most one would be).
        // How long a tap waits is a benchmark's business (bench journal), not a timed assertion.
        assertThat(s.deletedBudgetAcked() + s.deletedBudgetUnacked()).isGreaterThan(10_000);
        assertThat(tapsDuring).as("taps committed while retention ran").isGreaterThanOrEqualTo(3);
    }

    @Test
    void close_stops_the_retention_and_aggregator_threads() {
        Journal j = open();
        SensorAggregator aggregator = new SensorAggregator(j, clock, Duration.ofSeconds(10));
        aggregator.start(Duration.ofMillis(50));
        JournalRetention r = new JournalRetention(j, retention(MB), clock, aggregator::doneBefore);
        r.start();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("journal-retention"));
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("sensor-aggregator"));
        r.close();
        aggregator.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("journal-retention") || t.getName().startsWith("sensor-aggregator"));
    }

    @Test
    void an_older_journal_without_incremental_vacuum_is_converted_at_open() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + scratch.file());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE legacy (x INTEGER)");
            assertThat(pragma(s, "auto_vacuum")).isZero();
        }
        open().close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + scratch.file());
             Statement s = c.createStatement()) {
            assertThat(pragma(s, "auto_vacuum")).isEqualTo(2);
        }
    }

    private static long pragma(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
