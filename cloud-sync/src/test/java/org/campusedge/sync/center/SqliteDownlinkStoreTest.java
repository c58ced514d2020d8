package org.campusedge.sync.center;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The {@link DownlinkStoreContract} on SQLite: one file per test. */
class SqliteDownlinkStoreTest extends DownlinkStoreContract {

    @TempDir
    Path dir;

    @Override
    protected void createDatabase() {
        // The store creates its file.
    }

    @Override
    protected DownlinkStore openStore() {
        return DownlinkStore.sqlite(dir.resolve("sub").resolve("center-downlink.db"));
    }

    @Override
    protected void dropDatabase() {
        // @TempDir removes the file.
    }
}
