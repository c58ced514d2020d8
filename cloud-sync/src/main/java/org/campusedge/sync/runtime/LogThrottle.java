package org.campusedge.sync.runtime;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones it held back, so a failure
 * repeated a thousand times a second costs one line a minute and is still never silent:
 *
 * <pre>{@code
 * throttle.acquire().ifPresent(suppressed ->
 *         LOG.warn("ingest failed: {} ({} similar lines suppressed)", e.getMessage(), suppressed));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LogThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastPermit;
    private boolean permittedBefore;
    private long suppressed;

    public LogThrottle(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** For tests: {@code nanoTime} stands in for {@link System#nanoTime()}. */
    public LogThrottle(Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * @return empty if this line should be suppressed; otherwise the number of lines
     *         suppressed since the last one let through
     */
    public synchronized OptionalLong acquire() {
        long now = nanoTime.getAsLong();
        if (permittedBefore && now - lastPermit < intervalNanos) {
            suppressed++;
            return OptionalLong.empty();
        }
        permittedBefore = true;
        lastPermit = now;
        long held = suppressed;
        suppressed = 0;
        return OptionalLong.of(held);
    }
}
