package org.campusedge.sync.center;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Group commit on one SQLite connection: writes that arrive while a transaction is running wait,
 * and the next caller to get the connection runs all of them in one transaction, each inside its
 * own savepoint. Each write keeps its atomicity (a write that fails is rolled back to its
 * savepoint alone) and its caller returns only after the COMMIT that made it durable; if the
 * COMMIT fails, every write of the group fails and nothing of it is stored. What it saves is the
 * per-commit cost of WAL pages and fsync when many boxes upload at once (SQLite has one writer
 * anyway). See https://www.sqlite.org/lang_savepoint.html.
 *
 * <p>Thread-safe: callers take turns at {@code monitor}, the store's own, which also guards the
 * store's other statements on the connection.
 */
final class SqliteGroupCommit {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteGroupCommit.class);
    /** Writes per transaction at most, which bounds how long one caller works for the others. */
    static final int MAX_GROUP = 64;

    /** One write, run inside the group's transaction. */
    interface Write<T> {
        T run() throws GapException, SQLException;
    }

    private final Connection db;
    private final Object monitor;
    private final String file;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

    SqliteGroupCommit(Connection db, Object monitor, String file) {
        this.db = db;
        this.monitor = monitor;
        this.file = file;
    }

    /**
     * Runs {@code write} in a transaction, maybe shared with other callers' writes, and returns
     * its result once committed.
     *
     * @throws GapException        as the write threw it; the write left nothing behind
     * @throws EventStoreException if the write or the commit failed; the write left nothing behind
     */
    <T> T run(Write<T> write, Supplier<String> what) throws GapException {
        Pending<T> mine = new Pending<>(write);
        queue.add(mine);
        synchronized (monitor) {
            while (!mine.done) {
                runGroup();
            }
        }
        if (mine.gap != null) {
            throw mine.gap;
        }
        if (mine.failure instanceof RuntimeException e) {
            throw e;
        }
        if (mine.failure != null) {
            throw new EventStoreException(what.get() + " in " + file + ": " + mine.failure.getMessage(), mine.failure);
        }
        return mine.result;
    }

    /** Takes up to {@link #MAX_GROUP} queued writes and runs them in one transaction. Holds the monitor. */
    private void runGroup() {
        List<Pending<?>> group = new ArrayList<>();
        for (Pending<?> next; group.size() < MAX_GROUP && (next = queue.poll()) != null; ) {
            group.add(next);
        }
        try (Statement tx = db.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                for (Pending<?> p : group) {
                    tx.execute("SAVEPOINT write");
                    try {
                        p.runWrite();
                        tx.execute("RELEASE write");
                    } catch (GapException | SQLException | RuntimeException e) {
                        // If this fails too, SQLite has dropped the transaction: the whole group fails below.
                        tx.execute("ROLLBACK TO write");
                        tx.execute("RELEASE write");
                        p.failed(e);
                    }
                }
                tx.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollback(tx);
                group.forEach(p -> p.failed(e));
            }
        } catch (SQLException e) {
            group.forEach(p -> p.failed(e));
        } finally {
            group.forEach(p -> p.done = true);
        }
    }

    private static void rollback(Statement tx) {
        try {
            tx.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after some errors; then there is nothing left to undo.
            LOG.debug("rollback: {}", e.getMessage());
        }
    }

    /** A queued write and, once {@code done}, its outcome. Fields are guarded by the monitor. */
    private static final class Pending<T> {
        private final Write<T> write;
        private T result;
        private GapException gap;
        private Exception failure;
        private boolean done;

        Pending(Write<T> write) {
            this.write = write;
        }

        void runWrite() throws GapException, SQLException {
            result = write.run();
        }

        /** A failure replaces a result that a failed COMMIT did not keep; a gap stays the answer it was. */
        void failed(Exception e) {
            result = null;
            if (e instanceof GapException g) {
                gap = g;
            } else if (gap == null) {
                failure = e;
            }
        }
    }
}
