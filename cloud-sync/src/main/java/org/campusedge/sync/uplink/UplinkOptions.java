package org.campusedge.sync.uplink;

import org.campusedge.sync.wire.IngestBatch;

import java.time.Duration;

/**
 * How an {@link Uplink} drains.
 *
 * @param deviceId     this box's id at the data center
 * @param batchSize    most events per batch (halved automatically while the center answers 413)
 * @param pollInterval how often to look for new events when nobody calls {@link Uplink#wakeUp()}
 * @param minBackoff   first retry delay after a failure
 * @param maxBackoff   longest retry delay; also the pause while the center refuses the token
 */
public record UplinkOptions(String deviceId, int batchSize, Duration pollInterval, Duration minBackoff, Duration maxBackoff) {

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

    /** 500 events a batch, a 5 s poll, retries between 1 s and 2 min. */
    public static UplinkOptions defaults(String deviceId) {
        return new UplinkOptions(deviceId, 500, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(2));
    }

    public UplinkOptions withBatchSize(int size) {
        return new UplinkOptions(deviceId, size, pollInterval, minBackoff, maxBackoff);
    }

    public UplinkOptions withPollInterval(Duration interval) {
        return new UplinkOptions(deviceId, batchSize, interval, minBackoff, maxBackoff);
    }

    public UplinkOptions withBackoff(Duration min, Duration max) {
        return new UplinkOptions(deviceId, batchSize, pollInterval, min, max);
    }
}
