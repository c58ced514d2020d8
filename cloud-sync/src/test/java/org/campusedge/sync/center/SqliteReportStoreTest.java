package org.campusedge.sync.center;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The {@link ReportStoreContract} on SQLite. */
class SqliteReportStoreTest extends ReportStoreContract {

    @TempDir
    Path dir;

    @Override
    protected void createDatabase() {
        // The store creates its file.
    }

    @Override
    protected EventStore openStore() {
        return SqliteEventStore.open(dir.resolve("center.db"));
    }

    @Override
    protected void dropDatabase() {
        // @TempDir removes the file.
    }
}
