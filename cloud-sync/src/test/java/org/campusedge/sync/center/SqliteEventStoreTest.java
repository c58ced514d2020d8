package org.campusedge.sync.center;

import org.campusedge.sync.wire.IngestBatch;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** The {@link EventStoreContract} on SQLite: one database file per test. */
class SqliteEventStoreTest extends EventStoreContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("center.db");
    }

    @Override
    protected void createDatabase() {
        // The store creates its file.
    }

    @Override
    protected EventStore openStore() {
        return SqliteEventStore.open(file());
    }

    @Override
    protected void dropDatabase() {
        // @TempDir removes the file.
    }

    @Override
    protected int storedSchemaVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    protected int currentSchemaVersion() {
        return SqliteEventStore.schemaVersion();
    }

    @Override
    protected void pretendSchemaVersion(int version) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
        }
    }

    /**
     * SQLite runs in this process, so a crash here is a failing statement: a trigger makes the
     * mark update, which follows the event inserts, abort the transaction.
     */
    @Override
    protected Throwable failBetweenInsertAndCommit(IngestBatch batch, Instant receivedAt) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER fail_mark BEFORE INSERT ON stream_marks BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
            try {
                store.ingest(batch, receivedAt);
                return null;
            } catch (EventStoreException e) {
                return e;
            } finally {
                s.execute("DROP TRIGGER fail_mark");
            }
        }
    }

    /**
     * A file written by a build before schema 3 (events one row each, no room column) is brought
     * to blocks: rows of one batch become blocks cut where their box times leave a 10-minute
     * bucket, every event reads back as stored, by seq, by room and through the events view.
     */
    @org.junit.jupiter.api.Test
    void upgrading_a_version_2_file_turns_its_rows_into_blocks_and_keeps_every_event() throws Exception {
        store.close();
        store = null;
        Path old = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.execute("INSERT INTO schema_version (version) VALUES (1), (2)");
            s.execute("CREATE TABLE events (device TEXT NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, "
                    + "occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL, "
                    + "PRIMARY KEY (device, stream, seq)) WITHOUT ROWID");
            s.execute("CREATE TABLE stream_marks (device TEXT NOT NULL, stream TEXT NOT NULL, acked_seq INTEGER NOT NULL, "
                    + "PRIMARY KEY (device, stream))");
            s.execute("CREATE TABLE gaps (device TEXT NOT NULL, stream TEXT NOT NULL, from_seq INTEGER NOT NULL, "
                    + "to_seq INTEGER NOT NULL, count INTEGER NOT NULL, reason TEXT NOT NULL, lost_at TEXT NOT NULL, "
                    + "received_at TEXT NOT NULL, PRIMARY KEY (device, stream, from_seq)) WITHOUT ROWID");
            s.execute("INSERT INTO events VALUES ('box-1', 'priority', 1, 'access.decision', '2025-03-01T08:00:00.000000000Z', "
                    + "'2025-03-01T09:00:00.000000000Z', '{\"room\":\"studio-1\",\"card\":\"c\"}'), "
                    + "('box-1', 'priority', 2, 'access.decision', '2025-03-01T08:00:01.000000000Z', "
                    + "'2025-03-01T09:00:00.000000000Z', '{\"room\":7}')");
            for (int seq = 3; seq <= 32; seq++) {
                s.execute("INSERT INTO events VALUES ('box-1', 'priority', " + seq + ", 'card.tap', '"
                        + Instant.parse("2025-03-01T08:00:00Z").plusSeconds(60L * seq).toString().replace("Z", ".000000000Z") + "', "
                        + "'2025-03-01T09:00:01.000000000Z', '{\"room\":\"lab\",\"n\":" + seq + "}')");
            }
        }

        try (EventStore upgraded = SqliteEventStore.open(old)) {
            EventQuery byRoom = new EventQuery(java.util.Optional.empty(), java.util.Optional.of("studio-1"), java.util.Set.of(),
                    Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-03-02T00:00:00Z"), java.util.Optional.empty(), 10);

            org.assertj.core.api.Assertions.assertThat(upgraded.search(byRoom).events()).extracting(StoredEvent::seq).containsExactly(1L);
            org.assertj.core.api.Assertions.assertThat(upgraded.count("box-1", "priority")).isEqualTo(32);
            org.assertj.core.api.Assertions.assertThat(upgraded.events("box-1", "priority", 0, 100)).extracting(StoredEvent::payloadJson)
                    .startsWith("{\"room\":\"studio-1\",\"card\":\"c\"}", "{\"room\":7}", "{\"room\":\"lab\",\"n\":3}")
                    .endsWith("{\"room\":\"lab\",\"n\":32}").hasSize(32);
            EventQuery lab = new EventQuery(java.util.Optional.empty(), java.util.Optional.of("lab"), java.util.Set.of("card.tap"),
                    Instant.parse("2025-03-01T08:20:00Z"), Instant.parse("2025-03-01T08:25:00Z"), java.util.Optional.empty(), 10);
            org.assertj.core.api.Assertions.assertThat(upgraded.search(lab).events()).extracting(StoredEvent::seq)
                    .containsExactly(20L, 21L, 22L, 23L, 24L);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*), max(last_at) < '2025-03-01T08:10' FROM event_blocks "
                    + "WHERE first_at >= '2025-03-01T08:00' AND first_at < '2025-03-01T08:10'")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).as("one block per batch and 10-minute bucket").isEqualTo(2);
                org.assertj.core.api.Assertions.assertThat(rs.getBoolean(2)).isTrue();
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT seq, type, room, payload FROM events WHERE seq IN (1, 32) ORDER BY seq")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4))
                        .isEqualTo("access.decision|studio-1|{\"room\":\"studio-1\",\"card\":\"c\"}");
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getLong(1)).isEqualTo(32);
            }
        }
    }
}
