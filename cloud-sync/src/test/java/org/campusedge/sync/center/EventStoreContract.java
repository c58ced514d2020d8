package org.campusedge.sync.center;

import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link EventStore} promises, run against each implementation: SQLite
 * ({@link SqliteEventStoreTest}) and PostgreSQL ({@code PostgresEventStoreIT}). A subclass gives
 * each test a fresh, empty database and says how to open it and how to break an ingest.
 */
abstract class EventStoreContract {

    static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");
    static final Instant BOX_TIME = Instant.parse("2025-03-01T08:00:00Z");

    protected EventStore store;

    /** Makes this test's fresh database (runs before the store opens). */
    protected abstract void createDatabase() throws Exception;

    /** Opens a store on this test's database; called again to reopen it. */
    protected abstract EventStore openStore();

    /** Removes this test's database (runs after the store closed). */
    protected abstract void dropDatabase() throws Exception;

    /** The schema version recorded in the database. */
    protected abstract int storedSchemaVersion() throws Exception;

    /** The schema version this build writes. */
    protected abstract int currentSchemaVersion();

    /** Records {@code version} in the database, as a newer build would. */
    protected abstract void pretendSchemaVersion(int version) throws Exception;

    /**
     * Runs {@code store.ingest(batch, receivedAt)} so that it fails after its events were
     * written and before its commit (a killed session, a failing statement), and answers what
     * the ingest threw. The stream already has a mark when this is called.
     */
    protected abstract Throwable failBetweenInsertAndCommit(IngestBatch batch, Instant receivedAt) throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        createDatabase();
        store = openStore();
    }

    @AfterEach
    void closeAndDrop() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase();
    }

    static WireEvent event(long seq) {
        return new WireEvent(seq, "card.tap", BOX_TIME.plusMillis(seq), "{\"room\":\"studio-" + (seq % 3) + "\",\"n\":" + seq + "}");
    }

    static IngestBatch batch(String device, String stream, long from, long to) {
        List<WireEvent> events = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            events.add(event(s));
        }
        return IngestBatch.of(device, stream, events);
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void stores_a_batch_once_and_counts_a_resend_as_duplicates() throws Exception {
        IngestAck first = store.ingest(batch("box-1", "priority", 1, 10), NOW);
        IngestAck again = store.ingest(batch("box-1", "priority", 1, 10), NOW.plusSeconds(5));

        assertThat(first).isEqualTo(new IngestAck("box-1", "priority", 10, 10, 0));
        assertThat(again).isEqualTo(new IngestAck("box-1", "priority", 10, 0, 10));
        assertThat(store.count("box-1", "priority")).isEqualTo(10);
        assertThat(store.events("box-1", "priority", 0, 100)).extracting(StoredEvent::receivedAt).containsOnly(NOW);
    }

    @Test
    void overlapping_batch_stores_only_the_new_part() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 10), NOW);

        IngestAck ack = store.ingest(batch("box-1", "priority", 6, 15), NOW.plusSeconds(1));

        assertThat(ack).isEqualTo(new IngestAck("box-1", "priority", 15, 5, 5));
        List<StoredEvent> all = store.events("box-1", "priority", 0, 100);
        assertThat(all).extracting(StoredEvent::seq).containsExactlyElementsOf(seqs(1, 15));
        assertThat(all.get(5).receivedAt()).as("seq 6 keeps its first arrival").isEqualTo(NOW);
        assertThat(all.get(10).receivedAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void a_batch_wholly_below_the_mark_stores_nothing_and_keeps_the_mark() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 20), NOW);

        assertThat(store.ingest(batch("box-1", "priority", 3, 7), NOW)).isEqualTo(new IngestAck("box-1", "priority", 20, 0, 5));
        assertThat(store.marks("box-1").acked("priority")).isEqualTo(20);
    }

    @Test
    void batch_starting_right_after_the_mark_is_accepted() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 3), NOW);

        assertThat(store.ingest(batch("box-1", "priority", 4, 4), NOW).ackedSeq()).isEqualTo(4);
    }

    @Test
    void gap_throws_with_the_mark_and_stores_nothing() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 5), NOW);

        assertThatThrownBy(() -> store.ingest(batch("box-1", "priority", 7, 9), NOW))
                .isInstanceOfSatisfying(GapException.class, e -> assertThat(e.ackedSeq()).isEqualTo(5))
                .hasMessageContaining("resend from 6");
        assertThatThrownBy(() -> store.ingest(batch("box-1", "fresh", 2, 2), NOW))
                .isInstanceOfSatisfying(GapException.class, e -> assertThat(e.ackedSeq()).isZero());

        assertThat(store.count("box-1", "priority")).isEqualTo(5);
        assertThat(store.count("box-1", "fresh")).isZero();
        assertThat(store.marks("box-1").ackedSeq()).isEqualTo(Map.of("priority", 5L));
    }

    @Test
    void devices_and_streams_are_kept_apart() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 3), NOW);
        store.ingest(batch("box-2", "priority", 1, 7), NOW);
        store.ingest(batch("box-1", "readings", 1, 2), NOW);

        assertThat(store.marks("box-1").ackedSeq()).isEqualTo(Map.of("priority", 3L, "readings", 2L));
        assertThat(store.marks("box-2").ackedSeq()).isEqualTo(Map.of("priority", 7L));
        assertThat(store.marks("box-3").ackedSeq()).isEmpty();
        assertThat(store.count("box-2", "priority")).isEqualTo(7);
        assertThat(store.count("box-2", "readings")).isZero();
    }

    @Test
    void events_read_back_with_their_payload_type_and_both_times() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 5), NOW);

        List<StoredEvent> page = store.events("box-1", "priority", 2, 2);

        assertThat(page).containsExactly(
                new StoredEvent("box-1", "priority", 3, "card.tap", Instant.parse("2025-03-01T08:00:00.003Z"), NOW,
                        "{\"room\":\"studio-0\",\"n\":3}"),
                new StoredEvent("box-1", "priority", 4, "card.tap", Instant.parse("2025-03-01T08:00:00.004Z"), NOW,
                        "{\"room\":\"studio-1\",\"n\":4}"));
    }

    @Test
    void payloads_come_back_byte_for_byte_whatever_they_hold() throws Exception {
        List<String> payloads = List.of(
                "{\"text\":\"tab\\there, newline\\nthere, backslash \\\\ and quote \\\"\"}",
                "{ \"spaced\" : [1, 2.50, {\"b\":1,\"a\":2}] }",
                "{\"room\":\"录音室-1\",\"emoji\":\"🎙\",\"raw\":\"\ttab and\nnewline unescaped\r\"}",
                "{}",
                "{\"room\":7,\"deep\":{\"room\":\"not-top-level\"}}");
        List<WireEvent> events = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            events.add(new WireEvent(i + 1, i % 2 == 0 ? "sensor.reading" : "type\twith\\odd chars", BOX_TIME.plusSeconds(i),
                    payloads.get(i)));
        }

        store.ingest(IngestBatch.of("box-1", "readings", events), NOW);

        assertThat(store.events("box-1", "readings", 0, 10)).extracting(StoredEvent::payloadJson).containsExactlyElementsOf(payloads);
        assertThat(store.events("box-1", "readings", 0, 10)).extracting(StoredEvent::type)
                .containsExactly("sensor.reading", "type\twith\\odd chars", "sensor.reading", "type\twith\\odd chars", "sensor.reading");
    }

    @Test
    void events_come_in_seq_order_across_batches_received_months_apart() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 100), Instant.parse("2025-01-31T23:59:59.999999Z"));
        store.ingest(batch("box-1", "priority", 101, 150), Instant.parse("2025-02-01T00:00:00Z"));
        store.ingest(batch("box-1", "priority", 151, 200), Instant.parse("2026-07-15T12:00:00Z"));

        assertThat(store.events("box-1", "priority", 0, 1_000)).extracting(StoredEvent::seq).containsExactlyElementsOf(seqs(1, 200));
        assertThat(store.events("box-1", "priority", 95, 10)).extracting(StoredEvent::seq).containsExactlyElementsOf(seqs(96, 105));
        assertThat(store.events("box-1", "priority", 200, 10)).isEmpty();
        assertThat(store.count("box-1", "priority")).isEqualTo(200);
        assertThat(store.ingest(batch("box-1", "priority", 90, 210), Instant.parse("2026-08-01T00:00:00Z")))
                .as("a resend months later is still a duplicate").isEqualTo(new IngestAck("box-1", "priority", 210, 10, 111));
        assertThat(store.events("box-1", "priority", 99, 2)).extracting(StoredEvent::receivedAt)
                .containsExactly(Instant.parse("2025-01-31T23:59:59.999999Z"), Instant.parse("2025-02-01T00:00:00Z"));
    }

    @Test
    void declared_gap_is_recorded_once_without_held_seqs_and_moves_the_mark() throws Exception {
        store.ingest(batch("box-1", "readings", 1, 10), NOW);
        Instant lostAt = Instant.parse("2025-02-28T23:00:00Z");

        IngestAck ack = store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(8, 30, "disk_budget", lostAt)), NOW);
        IngestAck again = store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(8, 30, "disk_budget", lostAt)), NOW);
        IngestAck below = store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(2, 5, "disk_budget", lostAt)), NOW);
        store.ingest(batch("box-1", "readings", 31, 40), NOW);

        assertThat(ack).isEqualTo(new IngestAck("box-1", "readings", 30, 0, 0));
        assertThat(again.ackedSeq()).isEqualTo(30);
        assertThat(below.ackedSeq()).isEqualTo(30);
        assertThat(store.gaps("box-1").gaps()).containsExactly(new GapDeclaration("box-1", "readings", 11, 30, 20, "disk_budget", lostAt));
        assertThat(store.count("box-1", "readings") + store.gaps("box-1").lost("readings")).isEqualTo(40);
        assertThat(store.marks("box-1").acked("readings")).isEqualTo(40);
        assertThat(store.gaps("box-2").gaps()).isEmpty();
    }

    @Test
    void gap_declared_ahead_of_the_mark_is_refused_and_gaps_list_by_stream_and_seq() throws Exception {
        Instant lostAt = Instant.parse("2025-02-28T23:00:00Z");
        assertThatThrownBy(() -> store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(5, 9, "disk_budget", lostAt)), NOW))
                .isInstanceOfSatisfying(GapException.class, e -> assertThat(e.ackedSeq()).isZero());
        assertThat(store.marks("box-1").ackedSeq()).isEmpty();

        store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(1, 4, "disk_budget", lostAt)), NOW);
        store.ingest(batch("box-1", "readings", 5, 6), NOW);
        store.declareGap(GapDeclaration.of("box-1", "readings", WireGap.of(7, 7, "corrupt", lostAt)), NOW);
        store.declareGap(GapDeclaration.of("box-1", "bulk", WireGap.of(1, 100, "disk_budget", lostAt)), NOW);

        assertThat(store.gaps("box-1").gaps()).extracting(g -> g.stream() + ":" + g.fromSeq() + ".." + g.toSeq() + "/" + g.reason())
                .containsExactly("bulk:1..100/disk_budget", "readings:1..4/disk_budget", "readings:7..7/corrupt");
        assertThat(store.marks("box-1").ackedSeq()).isEqualTo(Map.of("readings", 7L, "bulk", 100L));
    }

    @Test
    void marks_and_events_survive_reopening_and_the_schema_is_versioned() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 20), NOW);
        store.close();

        store = openStore();

        assertThat(store.marks("box-1").acked("priority")).isEqualTo(20);
        assertThat(store.count("box-1", "priority")).isEqualTo(20);
        assertThat(store.ingest(batch("box-1", "priority", 15, 25), NOW)).isEqualTo(new IngestAck("box-1", "priority", 25, 5, 6));
        assertThat(storedSchemaVersion()).isEqualTo(currentSchemaVersion());
    }

    @Test
    void refuses_a_database_from_a_newer_build() throws Exception {
        store.close();
        store = null;
        pretendSchemaVersion(99);

        assertThatThrownBy(this::openStore).isInstanceOf(EventStoreException.class).hasMessageContaining("schema version 99");
    }

    @Test
    void a_failure_between_insert_and_commit_leaves_nothing_half_stored() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 10), NOW);

        Throwable thrown = failBetweenInsertAndCommit(batch("box-1", "priority", 6, 5_000), NOW.plusSeconds(1));

        assertThat(thrown).isInstanceOf(EventStoreException.class);
        assertThat(store.count("box-1", "priority")).isEqualTo(10);
        assertThat(store.marks("box-1").acked("priority")).isEqualTo(10);
        assertThat(store.events("box-1", "priority", 0, 100)).extracting(StoredEvent::receivedAt).containsOnly(NOW);
        assertThat(store.ingest(batch("box-1", "priority", 6, 5_000), NOW.plusSeconds(2)))
                .as("the resend after the failure stores it all").isEqualTo(new IngestAck("box-1", "priority", 5_000, 4_990, 5));
        assertThat(store.count("box-1", "priority")).isEqualTo(5_000);
    }

    @Test
    void a_big_batch_is_stored_whole() throws Exception {
        IngestAck ack = store.ingest(batch("box-1", "readings", 1, 100_000), NOW);

        assertThat(ack).isEqualTo(new IngestAck("box-1", "readings", 100_000, 100_000, 0));
        assertThat(store.count("box-1", "readings")).isEqualTo(100_000);
        assertThat(store.events("box-1", "readings", 99_998, 10)).extracting(StoredEvent::seq).containsExactly(99_999L, 100_000L);
    }

    /**
     * Many boxes upload at once, each stream sent by two uploaders racing (a box retrying while its
     * first attempt is still in flight): every event is stored once, and stored plus duplicates
     * add up to what was sent.
     */
    @Test
    void many_devices_uploading_at_once_store_every_event_exactly_once() throws Exception {
        int devices = 40;
        int batches = 10;
        int perBatch = 50;
        AtomicLong stored = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String device = "school-" + d + "-box-1";
                for (String stream : List.of("priority", "readings")) {
                    for (int racer = 0; racer < 2; racer++) {
                        uploads.add(pool.submit(() -> {
                            for (int b = 0; b < batches; b++) {
                                IngestBatch batch = batch(device, stream, b * perBatch + 1L, (b + 1L) * perBatch);
                                IngestAck ack = store.ingest(batch, NOW);
                                stored.addAndGet(ack.stored());
                                duplicates.addAndGet(ack.duplicates());
                            }
                            return null;
                        }));
                    }
                }
            }
            for (Future<?> f : uploads) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long each = (long) batches * perBatch;
        assertThat(stored.get()).isEqualTo(devices * 2L * each);
        assertThat(duplicates.get()).isEqualTo(devices * 2L * each);
        for (int d = 0; d < devices; d++) {
            String device = "school-" + d + "-box-1";
            assertThat(store.marks(device).ackedSeq()).isEqualTo(Map.of("priority", each, "readings", each));
            assertThat(store.count(device, "readings")).isEqualTo(each);
        }
        assertThat(store.events("school-7-box-1", "priority", 0, 1_000)).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(seqs(1, each));
    }

    @Test
    void a_device_that_never_reported_a_backlog_is_absent_not_zero() {
        assertThat(store.backlogs()).isEmpty();

        store.saveBacklogs(List.of(new ReportedBacklog("box-1", new Backlog(Map.of("priority", Backlog.Stream.empty())), NOW)));

        assertThat(store.backlogs()).containsOnlyKeys("box-1");
    }

    @Test
    void backlogs_of_several_devices_save_together_and_the_latest_replaces_the_last_and_survives_reopening() {
        Instant oldest = Instant.parse("2025-02-27T06:30:00.123456Z");
        store.saveBacklogs(List.of(new ReportedBacklog("box-1", new Backlog(Map.of(
                "priority", new Backlog.Stream(12, Optional.of(oldest)),
                "readings", new Backlog.Stream(900_000_000_000L, Optional.empty()),
                "bulk", new Backlog.Stream(5, Optional.of(oldest)))), NOW),
                new ReportedBacklog("box-2", new Backlog(Map.of("priority", Backlog.Stream.empty())), NOW)));
        Backlog drained = new Backlog(Map.of("priority", Backlog.Stream.empty(), "readings", new Backlog.Stream(3, Optional.of(oldest))));
        store.saveBacklogs(List.of(new ReportedBacklog("box-1", new Backlog(Map.of("bulk", new Backlog.Stream(9, Optional.empty()))), NOW),
                new ReportedBacklog("box-1", drained, NOW.plusSeconds(60))));
        store.close();

        store = openStore();

        Map<String, ReportedBacklog> all = store.backlogs();
        assertThat(all).containsOnlyKeys("box-1", "box-2");
        assertThat(all.get("box-1")).isEqualTo(new ReportedBacklog("box-1", drained, NOW.plusSeconds(60)));
        assertThat(all.get("box-1").backlog().streams()).doesNotContainKey("bulk");
        assertThat(all.get("box-2").backlog().totalEvents()).isZero();
        assertThat(all.get("box-2").reportedAt()).isEqualTo(NOW);
    }
}
