package org.campusedge.agent.door;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of durations with power-of-two nanosecond buckets (1 ns .. ~9 s), good
 * enough for percentiles within a factor of two and for Prometheus buckets. Safe from any thread.
 */
public final class LatencyHistogram {

    private static final int BUCKETS = 34;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder total = new LongAdder();

    public void record(long nanos) {
        long n = Math.max(1, nanos);
        int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(n - 1));
        counts.incrementAndGet(bucket);
        sumNanos.add(n);
        total.increment();
    }

    public long count() {
        return total.sum();
    }

    public long sumNanos() {
        return sumNanos.sum();
    }

    /** Upper bound in nanoseconds of bucket {@code i}: 2^i. */
    public static long upperBoundNanos(int i) {
        return 1L << i;
    }

    public static int buckets() {
        return BUCKETS;
    }

    public long bucketCount(int i) {
        return counts.get(i);
    }

    /** The upper bound (ns) of the bucket holding quantile {@code q} (0..1); 0 when empty. */
    public long quantileUpperBoundNanos(double q) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperBoundNanos(i);
            }
        }
        return upperBoundNanos(BUCKETS - 1);
    }
}
