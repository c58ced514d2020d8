package org.campusedge.sync.center;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of PostgreSQL connections, each lent to one caller for one transaction at a
 * time. Connections open lazily; one that failed (server restart, terminated backend) is closed
 * and a fresh one opens at the next loan, so the store heals without a restart.
 *
 * <p>Why not a pool library: the data center's HTTP server runs routes on a fixed set of worker
 * threads, so the number of concurrent transactions is bounded by construction and a semaphore
 * plus a queue is all the pooling needed; HikariCP would add a dependency for idle eviction and
 * metrics the store does not use. Thread-safe.
 */
final class PostgresConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnections.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Work on a borrowed connection; {@code X} is the checked exception it may throw besides SQL errors. */
    interface Work<T, X extends Exception> {
        T run(Connection c) throws SQLException, X;
    }

    private final String url;
    private final Properties properties;
    private final int size;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    PostgresConnections(String url, Properties properties, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        this.url = url;
        this.properties = properties;
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    /**
     * Runs {@code work} in one transaction on a borrowed connection: commits if it returns,
     * rolls back if it throws. {@code what} names the operation in errors.
     */
    <T, X extends Exception> T inTransaction(String what, Work<T, X> work) throws X {
        Connection c = borrow(what);
        boolean broken = false;
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            broken = rollback(c);
            throw new EventStoreException("cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            broken = rollback(c);
            throw e;
        } catch (Exception e) {
            // X: the work's own refusal (a gap); the transaction stored nothing.
            broken = rollback(c);
            throw e;
        } finally {
            giveBack(c, broken);
        }
    }

    /** Opens one connection outside the loan accounting (schema migration at start). */
    Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, properties);
        c.setAutoCommit(false);
        return c;
    }

    private Connection borrow(String what) {
        if (closed) {
            throw new EventStoreException("cannot " + what + ": the store is closed", null);
        }
        try {
            if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EventStoreException("cannot " + what + ": all " + size + " database connections stayed busy for "
                        + WAIT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("cannot " + what + ": interrupted waiting for a database connection", e);
        }
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        try {
            return open();
        } catch (SQLException e) {
            permits.release();
            throw new EventStoreException("cannot " + what + ": cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    private void giveBack(Connection c, boolean broken) {
        try {
            if (broken || closed) {
                closeQuietly(c);
            } else {
                idle.offer(c);
            }
        } finally {
            permits.release();
        }
        if (closed) {
            drainIdle();
        }
    }

    /** Rolls back; true if the connection is unusable afterwards and must be replaced. */
    private static boolean rollback(Connection c) {
        try {
            if (c.isClosed()) {
                return true;
            }
            c.rollback();
            return false;
        } catch (SQLException e) {
            LOG.warn("datacenter: a database connection failed and is replaced: {}", e.getMessage());
            return true;
        }
    }

    /** Closes idle connections now; lent ones close as they come back. */
    @Override
    public void close() {
        closed = true;
        drainIdle();
    }

    private void drainIdle() {
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // The server drops the session and rolls back whatever was open; nothing to recover here.
            LOG.debug("closing a database connection: {}", e.getMessage());
        }
    }
}
