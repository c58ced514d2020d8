package org.campusedge.agent.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Schema migrations of the journal. Each migration runs once, in its own transaction, and is
 * recorded in {@code schema_version}; a journal written by a newer agent is refused rather than
 * guessed at. Append new migrations at the end; never edit a released one.
 */
final class JournalSchema {

    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                // 1: events, per-stream marks, outbox view, allow-list, key/value metadata.
                """
                CREATE TABLE events (
                    stream      TEXT    NOT NULL,
                    seq         INTEGER NOT NULL,
                    type        TEXT    NOT NULL,
                    occurred_us INTEGER NOT NULL,
                    recorded_us INTEGER NOT NULL,
                    room        TEXT,
                    payload     TEXT    NOT NULL,
                    PRIMARY KEY (stream, seq)
                ) WITHOUT ROWID""",
                "CREATE INDEX events_by_time ON events (occurred_us)",
                "CREATE INDEX events_by_room ON events (room, occurred_us)",
                """
                CREATE TABLE streams (
                    stream    TEXT    PRIMARY KEY,
                    last_seq  INTEGER NOT NULL DEFAULT 0,
                    acked_seq INTEGER NOT NULL DEFAULT 0
                )""",
                "INSERT INTO streams (stream) VALUES ('priority'), ('readings')",
                """
                CREATE VIEW outbox AS
                    SELECT e.* FROM events e JOIN streams s ON e.stream = s.stream
                    WHERE e.seq > s.acked_seq""",
                """
                CREATE TABLE allow_list (
                    card_id     TEXT PRIMARY KEY,
                    person      TEXT NOT NULL,
                    rooms       TEXT NOT NULL,
                    valid_from  TEXT,
                    valid_until TEXT,
                    updated_us  INTEGER NOT NULL
                )""",
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "INSERT INTO meta (key, value) VALUES ('allow_list_version', '0')"
            ),
            List.of(
                // 2: card groups (access policy), the aggregates stream, room-state snapshots.
                "ALTER TABLE allow_list ADD COLUMN groups TEXT NOT NULL DEFAULT ''",
                "INSERT INTO streams (stream) VALUES ('aggregates')",
                """
                CREATE TABLE room_snapshot (
                    id       INTEGER PRIMARY KEY CHECK (id = 1),
                    format   INTEGER NOT NULL,
                    marks    TEXT    NOT NULL,
                    state    TEXT    NOT NULL,
                    taken_us INTEGER NOT NULL
                )"""
            ),
            List.of(
                // 3: runs of a stream deleted before the data center had them (disk budget), until declared.
                """
                CREATE TABLE gaps (
                    stream      TEXT    NOT NULL,
                    from_seq    INTEGER NOT NULL,
                    to_seq      INTEGER NOT NULL,
                    reason      TEXT    NOT NULL,
                    lost_us     INTEGER NOT NULL,
                    declared_us INTEGER,
                    PRIMARY KEY (stream, from_seq)
                )"""
            ),
            List.of(
                // 4: raw readings leave the time and room indexes. They are most of the rows and are read
                // by sequence number only (uplink, room-state replay, aggregation from a sequence mark,
                // retention oldest first); two index entries per reading cost more than the row itself.
                // The aggregator's replay mark is set from the old time index before it is rebuilt.
                """
                INSERT OR REPLACE INTO meta (key, value) SELECT 'aggregates.from_seq', CAST(COALESCE(
                    (SELECT MIN(seq) FROM events WHERE +stream = 'readings' AND occurred_us >=
                        COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'aggregates.done_before_us'), 0)),
                    (SELECT last_seq + 1 FROM streams WHERE stream = 'readings')) AS TEXT)""",
                "DROP INDEX events_by_time",
                "CREATE INDEX events_by_time ON events (occurred_us) WHERE " + JournalSchema.NOT_READINGS,
                "DROP INDEX events_by_room",
                "CREATE INDEX events_by_room ON events (room, occurred_us) WHERE " + JournalSchema.NOT_READINGS
            ));

    /**
     * The condition of the partial time and room indexes (schema 4): a query that wants them must
     * carry it literally, since SQLite uses a partial index only when the query's WHERE contains
     * its terms.
     */
    public static final String NOT_READINGS = "stream <> 'readings'";

    private JournalSchema() {
    }

    /** The schema version this build writes. */
    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Brings the schema up to date; returns the version found before migrating. */
    static int migrate(Connection c) throws SQLException {
        return migrate(c, latestVersion());
    }

    /** Migrates up to {@code target} only (tests make journals of earlier versions with it). */
    static int migrate(Connection c, int target) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
        }
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new JournalException(JournalException.Reason.MIGRATION_FAILED, "journal schema version " + current
                    + " is newer than this agent understands (" + latestVersion() + "); upgrade the agent");
        }
        for (int v = current + 1; v <= target; v++) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", '" + Instant.now() + "')");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new JournalException(JournalException.Reason.MIGRATION_FAILED,
                        "journal migration to version " + v + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return current;
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
