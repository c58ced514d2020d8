package org.campusedge.sync.center;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per device: {@code burst} requests at once, refilled at {@code perSecond}. A
 * box catching up after an outage sends batches back to back and is slowed, not refused for
 * good; a box stuck in a loop cannot take the center's workers from every other school.
 *
 * <p>Thread-safe: buckets live in a concurrent map, each guarded by its own monitor.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond requests per second allowed on average, > 0
     * @param burst     requests allowed at once, >= 1
     * @param nanoTime  the clock, {@link System#nanoTime} outside tests
     */
    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("need perSecond > 0 and burst >= 1, got " + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one request's token; empty if allowed, otherwise how long until a token is there. */
    Optional<Duration> acquire(String deviceId) {
        Bucket b = buckets.computeIfAbsent(deviceId, id -> new Bucket(burst, nanoTime.getAsLong()));
        synchronized (b) {
            long now = nanoTime.getAsLong();
            b.tokens = Math.min(burst, b.tokens + (now - b.refilledAt) / 1e9 * perSecond);
            b.refilledAt = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - b.tokens) / perSecond * 1e9)));
        }
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
