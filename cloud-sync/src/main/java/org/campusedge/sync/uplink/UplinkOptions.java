package org.campusedge.sync.uplink;

import org.campusedge.sync.wire.IngestBatch;

import java.time.Duration;

/**
 * How an {@link Uplink} drains.
 *
 * @param deviceId     this box's id at the data center
 * @param batchSize    events per batch to start with (see {@code adaptiveBatch}); halved while the center answers 413
 * @param pollInterval how often to look for new events when nobody calls {@link Uplink#wakeUp()}
 * @param minBackoff   first retry delay after a failure
 * @param maxBackoff   longest retry delay; also the pause while the center refuses the token
 * @param adaptiveBatch whether batches grow while a backlog drains quickly and shrink when the center is slow
 */
public record UplinkOptions(String deviceId, int batchSize, Duration pollInterval, Duration minBackoff, Duration maxBackoff,
                            boolean adaptiveBatch) {

    public UplinkOptions {
        if (deviceId == null || !IngestBatch.DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("deviceId must match " + IngestBatch.DEVICE_ID + ", got " + deviceId);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be in 1..10000, got " + batchSize);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < minBackoff <= maxBackoff, got " + minBackoff + " and " + maxBackoff);
        }
    }

    /** Adaptive batches. */
    public UplinkOptions(String deviceId, int batchSize, Duration pollInterval, Duration minBackoff, Duration maxBackoff) {
        this(deviceId, batchSize, pollInterval, minBackoff, maxBackoff, true);
    }

    /** 500 events a batch to start with, adaptive, a 5 s poll, retries between 1 s and 2 min. */
    public static UplinkOptions defaults(String deviceId) {
        return new UplinkOptions(deviceId, 500, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(2));
    }

    public UplinkOptions withBatchSize(int size) {
        return new UplinkOptions(deviceId, size, pollInterval, minBackoff, maxBackoff, adaptiveBatch);
    }

    /** Exactly {@code size} events a batch (except after a 413), for tests that count batches. */
    public UplinkOptions withFixedBatchSize(int size) {
        return new UplinkOptions(deviceId, size, pollInterval, minBackoff, maxBackoff, false);
    }

    public UplinkOptions withPollInterval(Duration interval) {
        return new UplinkOptions(deviceId, batchSize, interval, minBackoff, maxBackoff, adaptiveBatch);
    }

    public UplinkOptions withBackoff(Duration min, Duration max) {
        return new UplinkOptions(deviceId, batchSize, pollInterval, min, max, adaptiveBatch);
    }
}
