package org.campusedge.sync.uplink;

import java.time.Duration;

/**
 * How many events the next batch may carry. A box that comes back after days offline has a
 * backlog of hundreds of thousands of events: batches grow (doubling) while they are full and the
 * center answers quickly, so the backlog drains in few requests; they shrink (halving) when a
 * request is slow or fails, and a 413 from the center also lowers the ceiling for good, so an
 * oversized batch is never sent twice. Never below one event, never above the ceiling.
 *
 * <p>Not thread-safe: owned by the uplink thread.
 */
final class AdaptiveBatch {

    /** The most events one batch carries, whatever the center's answers. */
    static final int CEILING = 10_000;
    /** A full batch answered faster than this makes the next one twice as large. */
    static final Duration FAST = Duration.ofSeconds(1);
    /** A batch answered slower than this makes the next one half as large. */
    static final Duration SLOW = Duration.ofSeconds(4);

    private final int start;
    private int size;
    private int ceiling = CEILING;

    AdaptiveBatch(int start) {
        if (start < 1 || start > CEILING) {
            throw new IllegalArgumentException("batch size must be in 1.." + CEILING + ", got " + start);
        }
        this.start = start;
        this.size = start;
    }

    int size() {
        return size;
    }

    /** A batch of {@code events} was acknowledged after {@code took}. */
    void acknowledged(int events, Duration took) {
        if (took.compareTo(SLOW) > 0) {
            shrink();
        } else if (events >= size && took.compareTo(FAST) < 0) {
            size = Math.min(ceiling, size * 2);
        } else if (events < size && size > start) {
            // The backlog is gone: back towards the configured size, so a burst starts small again.
            size = Math.max(start, Math.max(events, size / 2));
        }
    }

    /** The request failed in transit or timed out. */
    void failed() {
        shrink();
    }

    /** The center said the batch was too large (413): never send this many again. */
    void tooLarge() {
        ceiling = Math.max(1, Math.min(ceiling, size - 1));
        size = Math.max(1, Math.min(ceiling, size / 2));
    }

    private void shrink() {
        size = Math.max(1, size / 2);
    }
}
