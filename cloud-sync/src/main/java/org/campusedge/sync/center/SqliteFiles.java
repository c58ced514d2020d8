package org.campusedge.sync.center;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Opens the data center's SQLite files (events, device registry) the same way: the folder made if
 * missing, WAL, {@code synchronous=FULL} (an acknowledged write survives power loss), a 10 s busy
 * timeout for the CLI writing while the service runs, a 64 MiB page cache.
 */
final class SqliteFiles {

    private SqliteFiles() {
    }

    /** Creates the file's folder if needed; an {@link IOException} names what failed. */
    static void createFolder(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        // 64 MiB of page cache (native memory, not heap) instead of SQLite's 2 MiB: ingest from
        // many boxes touches the primary key and report indexes all over; the cache grows only as used.
        config.setCacheSize(-64 * 1024);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }
}
