package org.campusedge.sync.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timing of an {@link SseHub}.
 *
 * @param maxStreams     streams open at once; a subscription beyond this is answered 503
 * @param queueCapacity  events waiting to be written to one client; see {@link SseHub} for what
 *                       happens when it is full
 * @param replayCapacity most recent events kept for {@code Last-Event-ID} replay
 * @param heartbeat      interval between {@code : ping} comment lines on an open stream
 * @param retry          the reconnection delay sent to clients in the {@code retry:} field
 */
public record SseSettings(int maxStreams, int queueCapacity, int replayCapacity, Duration heartbeat, Duration retry) {

    public SseSettings {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be positive, got " + maxStreams);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, got " + queueCapacity);
        }
        if (replayCapacity < 0) {
            throw new IllegalArgumentException("replayCapacity must not be negative, got " + replayCapacity);
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(retry, "retry");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
        }
        if (retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative, got " + retry);
        }
    }

    /** 32 streams, 1,024 queued events per client, 1,024 replayable events, a ping every 15 s, retry after 3 s. */
    public static SseSettings defaults() {
        return new SseSettings(32, 1024, 1024, Duration.ofSeconds(15), Duration.ofSeconds(3));
    }

    public SseSettings withMaxStreams(int n) {
        return new SseSettings(n, queueCapacity, replayCapacity, heartbeat, retry);
    }

    public SseSettings withQueueCapacity(int n) {
        return new SseSettings(maxStreams, n, replayCapacity, heartbeat, retry);
    }

    public SseSettings withReplayCapacity(int n) {
        return new SseSettings(maxStreams, queueCapacity, n, heartbeat, retry);
    }

    public SseSettings withHeartbeat(Duration d) {
        return new SseSettings(maxStreams, queueCapacity, replayCapacity, d, retry);
    }
}
