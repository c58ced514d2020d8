package org.campusedge.bridge;

import org.slf4j.Logger;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Counts and logs exceptions thrown by code this module calls back into (listeners, decoders'
 * consumers), so that one faulty callback neither kills a reader thread nor floods the log: the
 * first failure is logged with its stack trace, later ones at most once per {@link #INTERVAL_NANOS}
 * with the number suppressed meanwhile. Thread-safe.
 */
public final class ListenerFailures {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String owner;
    private long count;
    private long suppressed;
    private long lastLoggedAt;

    /**
     * @param log   where to log
     * @param owner who calls the callbacks, for the log line, e.g. {@code "reader door-1"}
     */
    public ListenerFailures(Logger log, String owner) {
        this.log = Objects.requireNonNull(log, "log");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Records that the callback {@code what} threw {@code e}. */
    public synchronized void record(String what, RuntimeException e) {
        count++;
        long now = System.nanoTime();
        if (count == 1) {
            log.error("{}: {} threw; the reader keeps running", owner, what, e);
            lastLoggedAt = now;
        } else if (now - lastLoggedAt >= INTERVAL_NANOS) {
            log.error("{}: {} threw {} ({} more failures since the last report)", owner, what, e.toString(), suppressed);
            suppressed = 0;
            lastLoggedAt = now;
        } else {
            suppressed++;
        }
    }

    /** Failures recorded since start. */
    public synchronized long count() {
        return count;
    }
}
