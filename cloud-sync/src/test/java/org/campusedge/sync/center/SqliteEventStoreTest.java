package org.campusedge.sync.center;

import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteEventStoreTest {

    private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path dir;
    private SqliteEventStore store;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(dir.resolve("center.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static IngestBatch batch(String device, String stream, long from, long to) {
        List<WireEvent> events = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            events.add(new WireEvent(s, "card.tap", Instant.parse("2025-03-01T08:00:00Z").plusMillis(s),
                    "{\"n\":" + s + "}"));
        }
        return IngestBatch.of(device, stream, events);
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

        IngestAck ack = store.ingest(batch("box-1", "priority", 6, 15), NOW);

        assertThat(ack).isEqualTo(new IngestAck("box-1", "priority", 15, 5, 5));
        assertThat(store.events("box-1", "priority", 0, 100)).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 15).boxed().toList());
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
    }

    @Test
    void events_read_back_with_their_payload_type_and_times() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 5), NOW);

        List<StoredEvent> page = store.events("box-1", "priority", 2, 2);

        assertThat(page).containsExactly(
                new StoredEvent("box-1", "priority", 3, "card.tap", Instant.parse("2025-03-01T08:00:00.003Z"), NOW, "{\"n\":3}"),
                new StoredEvent("box-1", "priority", 4, "card.tap", Instant.parse("2025-03-01T08:00:00.004Z"), NOW, "{\"n\":4}"));
    }

    @Test
    void marks_and_events_survive_reopening_and_the_schema_is_versioned() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 20), NOW);
        store.close();

        store = SqliteEventStore.open(dir.resolve("center.db"));

        assertThat(store.marks("box-1").acked("priority")).isEqualTo(20);
        assertThat(store.count("box-1", "priority")).isEqualTo(20);
        assertThat(store.ingest(batch("box-1", "priority", 15, 25), NOW)).isEqualTo(new IngestAck("box-1", "priority", 25, 5, 6));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("center.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(SqliteEventStore.schemaVersion());
        }
    }

    @Test
    void refuses_a_database_from_a_newer_build() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("center.db"));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version) VALUES (99)");
        }

        assertThatThrownBy(() -> SqliteEventStore.open(dir.resolve("center.db")))
                .isInstanceOf(EventStoreException.class).hasMessageContaining("schema version 99");
        store = SqliteEventStore.open(dir.resolve("other.db"));
    }
}
