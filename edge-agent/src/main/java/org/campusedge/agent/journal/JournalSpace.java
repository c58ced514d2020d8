package org.campusedge.agent.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The journal file's space: how large it is and how freed pages go back to the file system.
 *
 * <p>Deleting rows only moves their pages to SQLite's free list; the file keeps its size. With
 * {@code auto_vacuum = INCREMENTAL} the free pages can be cut off the end of the file in small
 * steps ({@code PRAGMA incremental_vacuum(N)}, https://sqlite.org/pragma.html#pragma_incremental_vacuum),
 * which a full {@code VACUUM} (a copy of the whole database, blocking every writer) would not allow.
 * {@code auto_vacuum} can only be chosen before the first table exists, or by a {@code VACUUM}
 * (https://sqlite.org/pragma.html#pragma_auto_vacuum): a new journal gets it at creation, an older
 * one is converted once, at open, before the writer starts. In WAL mode the main file shrinks when
 * the WAL is checkpointed, so a reclaim ends with {@code wal_checkpoint(TRUNCATE)}.
 *
 * <p>Static helpers; each runs on the connection it is given, which the caller owns.
 */
final class JournalSpace {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSpace.class);
    /** SQLite's code for {@code auto_vacuum = INCREMENTAL}. */
    private static final int INCREMENTAL = 2;

    private JournalSpace() {
    }

    /** Makes the journal's free pages reclaimable; converts an older journal once (a full VACUUM). */
    static void enableIncrementalVacuum(Connection c, Path path) throws SQLException {
        if (pragma(c, "auto_vacuum") == INCREMENTAL) {
            return;
        }
        boolean empty;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            empty = rs.next() && rs.getLong(1) == 0;
        }
        try (Statement s = c.createStatement()) {
            // Opening in WAL mode has already written the header, which fixes auto_vacuum until a
            // VACUUM: on a new file that costs nothing; on an older journal it copies it once.
            s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            long t0 = System.nanoTime();
            if (!empty) {
                LOG.info("journal {}: converting to incremental vacuum (one full VACUUM, once)", path);
            }
            try {
                s.execute("VACUUM");
            } catch (SQLException e) {
                // VACUUM needs room for a copy of the file; a full disk must not keep the agent from starting.
                LOG.warn("journal {}: cannot convert to incremental vacuum now ({}); retrying at the next start", path,
                        e.getMessage());
                return;
            }
            if (!empty) {
                LOG.info("journal {}: converted in {} ms", path, (System.nanoTime() - t0) / 1_000_000);
            }
        }
        if (pragma(c, "auto_vacuum") != INCREMENTAL) {
            LOG.warn("journal {}: could not enable incremental vacuum; deleted rows will be reused but the file will not shrink", path);
        }
    }

    /** Bytes of pages holding data, free pages left out: what the disk budget is measured against. */
    static long usedBytes(Connection c) throws SQLException {
        return (pragma(c, "page_count") - pragma(c, "freelist_count")) * pragma(c, "page_size");
    }

    /**
     * Cuts up to {@code maxPages} free pages off the end of the file; runs inside the caller's
     * transaction. sqlite-jdbc steps a statement once per execute and {@code incremental_vacuum}
     * frees one page per step, so each page is one short statement (about 60 µs on a desktop).
     *
     * @return pages freed
     */
    static long vacuumStep(Connection c, int maxPages) throws SQLException {
        long free = Math.min(pragma(c, "freelist_count"), maxPages);
        for (long i = 0; i < free; i++) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA incremental_vacuum(1)");
            }
        }
        return free;
    }

    /** Copies the WAL into the database and truncates it, so the file's new size shows on disk. Outside a transaction. */
    static void checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            while (rs.next()) {
                // busy, log frames, checkpointed frames: a busy checkpoint is simply retried next pass
            }
        }
    }

    static long pageSize(Connection c) throws SQLException {
        return pragma(c, "page_size");
    }

    /** The journal's files on disk: the database and its WAL. */
    static long fileBytes(Path db) {
        return size(db) + size(db.resolveSibling(db.getFileName() + "-wal"));
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
