package org.campusedge.sync.uplink;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with full jitter: after the n-th consecutive failure the delay is drawn
 * uniformly from {@code [min, min(max, min * 2^(n-1))]}. Jitter spreads the retries of a city's
 * worth of boxes after a data center outage instead of having them return in lockstep
 * (the "full jitter" variant of https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/,
 * floored at {@code min} so a retry never hammers a server that just failed).
 *
 * <p>Not thread-safe: owned by the thread that retries.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final Random random;
    private int failures;
    private Duration current = Duration.ZERO;

    public Backoff(Duration min, Duration max, Random random) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("min must be positive, got " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max (" + max + ") must not be below min (" + min + ")");
        }
        this.min = min;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Records one more failure and returns how long to wait before the next try. */
    public Duration next() {
        failures++;
        long minNanos = min.toNanos();
        long ceiling = max.toNanos();
        int doublings = failures - 1;
        // min * 2^doublings, without overflowing: stop doubling once past max.
        if (doublings < 62 && minNanos <= ceiling >> doublings) {
            ceiling = minNanos << doublings;
        }
        long span = ceiling - minNanos;
        long nanos = minNanos + (span <= 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
        current = Duration.ofNanos(Math.min(nanos, max.toNanos()));
        return current;
    }

    /** Forgets the failures: the next delay starts again from {@code min}. */
    public void reset() {
        failures = 0;
        current = Duration.ZERO;
    }

    /** The delay last returned by {@link #next()}, or zero since the last {@link #reset()}. */
    public Duration current() {
        return current;
    }

    /** Consecutive failures since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }

    public Duration min() {
        return min;
    }

    public Duration max() {
        return max;
    }
}
