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
}
