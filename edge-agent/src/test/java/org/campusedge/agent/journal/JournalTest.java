package org.campusedge.agent.journal;

import org.campusedge.agent.config.StorageConfig;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    @TempDir
    Path dir;

    private Journal journal;

    private StorageConfig storage(Duration window) {
        return new StorageConfig(dir.resolve("journal.db"), StorageConfig.Durability.NORMAL, window, 500);
    }

    private Journal open() {
        journal = Journal.open(storage(Duration.ofMillis(2)), Clock.systemUTC());
        return journal;
    }

    @AfterEach
    void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    static JournalEntry entry(EventType type, String room, int n) {
        return new JournalEntry(type, Instant.parse("2026-11-29T08:00:00Z").plusSeconds(n), Optional.ofNullable(room),
                "{\"n\":" + n + "}");
    }

    @Test
    void the_oldest_unacknowledged_event_gives_the_sync_lag() {
        Journal j = open();
        assertThat(j.oldestPending(EventStream.PRIORITY)).isEmpty();
        for (int i = 0; i < 5; i++) {
            j.append(entry(EventType.ACCESS_DECISION, "studio-1", i)).join();
        }
        assertThat(j.oldestPending(EventStream.PRIORITY)).contains(Instant.parse("2026-11-29T08:00:00Z"));
        j.acknowledge("priority", 3);
        assertThat(j.oldestPending(EventStream.PRIORITY)).contains(Instant.parse("2026-11-29T08:00:03Z"));
        j.acknowledge("priority", 5);
        assertThat(j.oldestPending(EventStream.PRIORITY)).isEmpty();
        assertThat(j.oldestPending(EventStream.READINGS)).isEmpty();
    }

    @Test
    void a_batch_of_readings_commits_in_order_and_carries_its_decoded_bodies_to_listeners() {
        Journal j = open();
        List<JournalEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        j.onCommit(heard::addAll);
        List<JournalEntry> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            ReadingBody r = new ReadingBody("lab-" + (i % 3), "s" + i, "temperature", "°C", 20 + i / 100.0, "t/" + i);
            batch.add(JournalEntry.reading(r, Instant.parse("2026-11-29T08:00:00Z").plusMillis(i)));
        }
        j.append(entry(EventType.ACCESS_DECISION, "lab-0", 1)).join();
        List<JournalEvent> events = j.appendAll(batch).join();

        assertThat(events).extracting(JournalEvent::seq)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1200).boxed().toList());
        assertThat(j.events(EventStream.READINGS, 0, 2000)).isEqualTo(events);
        List<JournalEvent> readings = heard.stream().filter(e -> e.stream() == EventStream.READINGS).toList();
        assertThat(readings).hasSize(1200);
        for (int i = 0; i < readings.size(); i++) {
            // Listeners get the very body that was appended, not a re-parse of its JSON.
            assertThat(catching(readings.get(i)::reading)).isSameAs(batch.get(i).reading());
        }
        // Read back from the file, the same body is parsed from the payload.
        assertThat(catching(j.events(EventStream.READINGS, 41, 1).get(0)::reading)).isEqualTo(batch.get(41).reading());
    }

    @Test
    void readings_mixed_with_other_events_in_whole_multiples_of_the_multi_row_insert_all_read_back() {
        Journal j = open();
        List<JournalEntry> batch = new ArrayList<>();
        for (int i = 0; i < 2 * JournalWriter.READING_ROWS; i++) {
            ReadingBody r = new ReadingBody("lab-" + (i % 3), "s" + i, "co2", "ppm", 400 + i, "t/" + i);
            batch.add(JournalEntry.reading(r, Instant.parse("2026-11-29T08:00:00Z").plusMillis(i)));
            if (i % 50 == 0) {
                batch.add(entry(EventType.ACCESS_DECISION, "lab-1", i));
            }
        }
        List<JournalEvent> events = j.appendAll(batch).join();

        List<JournalEvent> readings = events.stream().filter(e -> e.stream() == EventStream.READINGS).toList();
        assertThat(readings).extracting(JournalEvent::seq)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2L * JournalWriter.READING_ROWS).boxed().toList());
        assertThat(j.events(EventStream.READINGS, 0, 1000)).isEqualTo(readings);
        assertThat(j.events(EventStream.PRIORITY, 0, 1000)).extracting(JournalEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(catching(j.events(EventStream.READINGS, 99, 1).get(0)::reading))
                .isEqualTo(new ReadingBody("lab-0", "s99", "co2", "ppm", 499, "t/99"));
    }

    @Test
    void queries_find_readings_outside_the_indexes_by_time_room_and_type_newest_first() {
        org.campusedge.agent.TestClock clock = new org.campusedge.agent.TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        journal = Journal.open(storage(Duration.ZERO), clock);
        for (int i = 0; i < 300; i++) {
            clock.set(Instant.parse("2026-11-29T08:00:00Z").plusSeconds(i));
            String room = i % 2 == 0 ? "lab" : "studio";
            journal.appendAll(List.of(JournalEntry.reading(new ReadingBody(room, "s", "co2", "ppm", i, "t"), clock.instant()))).join();
            if (i % 50 == 0) {
                journal.append(new JournalEntry(EventType.ACCESS_DECISION, clock.instant(), Optional.of(room), "{\"i\":" + i + "}")).join();
            }
        }
        Instant since = Instant.parse("2026-11-29T08:04:00Z"); // seconds 240..299
        List<JournalEvent> labReadings = journal.query(new EventQuery(Optional.of(EventStream.READINGS), Optional.empty(),
                Optional.of("lab"), Optional.of(since), 1000));
        assertThat(labReadings).hasSize(30).allSatisfy(e -> assertThat(e.room()).contains("lab"));
        assertThat(labReadings.get(0).occurredAt()).isEqualTo(Instant.parse("2026-11-29T08:04:58Z"));
        assertThat(labReadings.get(29).occurredAt()).isEqualTo(since);

        List<JournalEvent> all = journal.query(new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2026-11-29T08:03:15Z")), 1000)); // 105 readings + the decisions at 200 s and 250 s
        assertThat(all).hasSize(107);
        assertThat(all).extracting(JournalEvent::occurredAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.stream().filter(e -> e.stream() == EventStream.PRIORITY)).hasSize(2);
        assertThat(journal.query(new EventQuery(Optional.empty(), Optional.of("access.decision"), Optional.empty(),
                Optional.empty(), 1000))).hasSize(6);
        assertThat(journal.query(EventQuery.latest(5))).extracting(JournalEvent::occurredAt)
                .first().isEqualTo(Instant.parse("2026-11-29T08:04:59Z"));
    }

    @Test
    void commit_times_never_go_back_even_when_the_clock_does() {
        org.campusedge.agent.TestClock clock = new org.campusedge.agent.TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        journal = Journal.open(storage(Duration.ZERO), clock);
        JournalEvent first = journal.append(entry(EventType.ACCESS_DECISION, "lab", 1)).join();
        clock.set(Instant.parse("2026-11-29T07:00:00Z")); // NTP steps the clock back an hour
        JournalEvent second = journal.append(entry(EventType.ACCESS_DECISION, "lab", 2)).join();
        assertThat(second.recordedAt()).isEqualTo(first.recordedAt());
        journal.close();
        journal = Journal.open(storage(Duration.ZERO), clock); // also across a restart
        JournalEvent third = journal.append(entry(EventType.ACCESS_DECISION, "lab", 3)).join();
        assertThat(third.recordedAt()).isEqualTo(first.recordedAt());
        clock.set(Instant.parse("2026-11-29T08:00:05Z"));
        assertThat(journal.append(entry(EventType.ACCESS_DECISION, "lab", 4)).join().recordedAt())
                .isEqualTo(Instant.parse("2026-11-29T08:00:05Z"));
    }

    private interface Reading {
        ReadingBody get() throws java.io.IOException;
    }

    private static ReadingBody catching(Reading r) {
        try {
            return r.get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void assigns_gap_free_sequence_numbers_per_stream_at_commit() {
        Journal j = open();
        List<CompletableFuture<JournalEvent>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(j.append(entry(EventType.ACCESS_DECISION, "studio-1", i)));
        }
        List<Long> seqs = futures.stream().map(CompletableFuture::join).map(JournalEvent::seq).toList();
        assertThat(seqs).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
        assertThat(j.lastSeq("priority")).isEqualTo(1000);
        assertThat(j.lastSeq("readings")).isZero();
        assertThat(j.count(EventStream.PRIORITY)).isEqualTo(1000);
    }

    @Test
    void groups_concurrent_appends_into_few_commits() throws Exception {
        Journal j = open();
        int threads = 8;
        int each = 500;
        List<Thread> ts = new ArrayList<>();
        List<CompletableFuture<JournalEvent>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread th = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    all.add(j.append(entry(EventType.ACCESS_DECISION, "r", base + i)));
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        JournalWriterStats stats = j.writerStats();
        assertThat(stats.events()).isEqualTo(threads * each);
        assertThat(stats.commits()).isLessThan(threads * each / 2);
        assertThat(all.stream().map(f -> f.join().seq()).distinct().count()).isEqualTo(threads * each);
    }

    @Test
    void sequence_numbers_and_acks_continue_after_reopen() {
        Journal j = open();
        for (int i = 0; i < 10; i++) {
            j.append(entry(EventType.READER_STATUS, null, i)).join();
        }
        j.acknowledge("priority", 4);
        j.close();
        journal = Journal.open(storage(Duration.ZERO), Clock.systemUTC());
        assertThat(journal.ackedSeq("priority")).isEqualTo(4);
        assertThat(journal.lastSeq("priority")).isEqualTo(10);
        assertThat(journal.append(entry(EventType.READER_STATUS, null, 11)).join().seq()).isEqualTo(11);
        assertThat(journal.pending()).containsEntry(EventStream.PRIORITY, 7L);
    }

    @Test
    void close_commits_everything_already_queued() {
        Journal j = open();
        List<CompletableFuture<JournalEvent>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            futures.add(j.append(entry(EventType.ACCESS_DECISION, "r", i)));
        }
        j.close();
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        journal = Journal.open(storage(Duration.ZERO), Clock.systemUTC());
        assertThat(journal.count(EventStream.PRIORITY)).isEqualTo(2000);
    }

    @Test
    void appends_after_close_fail_clearly() {
        Journal j = open();
        j.close();
        assertThat(j.append(entry(EventType.ACCESS_DECISION, "r", 1)))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("journal is closed");
    }

    @Test
    void outbox_returns_unacknowledged_events_in_order_and_acks_never_go_back() {
        Journal j = open();
        for (int i = 0; i < 20; i++) {
            j.append(entry(EventType.ACCESS_DECISION, "r", i)).join();
        }
        List<WireEvent> batch = j.after("priority", 5, 10);
        assertThat(batch).extracting(WireEvent::seq).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(batch.get(0).payloadJson()).isEqualTo("{\"n\":5}");
        j.acknowledge("priority", 15);
        j.acknowledge("priority", 3);
        assertThat(j.ackedSeq("priority")).isEqualTo(15);
        j.acknowledge("priority", 99);
        assertThat(j.ackedSeq("priority")).as("never beyond what was committed").isEqualTo(20);
        long outbox = j.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        });
        assertThat(outbox).isZero();
    }

    @Test
    void queries_filter_by_type_room_and_time_newest_first() {
        Journal j = open();
        j.append(entry(EventType.ACCESS_DECISION, "studio-1", 1)).join();
        j.append(entry(EventType.ACCESS_DECISION, "lab-1", 2)).join();
        j.append(entry(EventType.READER_STATUS, "studio-1", 3)).join();
        assertThat(j.query(EventQuery.latest(10))).extracting(JournalEvent::seq).containsExactly(3L, 2L, 1L);
        assertThat(j.query(new EventQuery(Optional.empty(), Optional.of("access.decision"), Optional.of("studio-1"),
                Optional.empty(), 10))).extracting(JournalEvent::seq).containsExactly(1L);
        assertThat(j.query(new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2026-11-29T08:00:02Z")), 10))).extracting(JournalEvent::seq).containsExactly(3L, 2L);
    }

    @Test
    void uses_wal_and_records_the_schema_version() throws Exception {
        open().append(entry(EventType.ACCESS_DECISION, "r", 1)).join();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(JournalSchema.latestVersion());
            }
        }
    }

    @Test
    void refuses_a_journal_from_a_newer_agent() throws Exception {
        open().close();
        journal = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 'future')");
        }
        assertThatThrownBy(() -> Journal.open(storage(Duration.ZERO), Clock.systemUTC()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("schema version 999 is newer than this agent understands");
    }

    @Test
    void a_journal_in_an_unwritable_place_fails_to_open_with_the_path() {
        StorageConfig bad = new StorageConfig(Path.of("/proc/campus-edge/journal.db"), StorageConfig.Durability.FULL,
                Duration.ZERO, 10);
        assertThatThrownBy(() -> Journal.open(bad, Clock.systemUTC()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("cannot open journal /proc/campus-edge/journal.db");
    }
}
