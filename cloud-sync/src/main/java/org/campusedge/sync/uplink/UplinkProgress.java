package org.campusedge.sync.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link Uplink} has achieved: counters for {@link UplinkStats} and the futures of
 * {@link Uplink#drainedTo(String, long)}. Written by the uplink thread, read by anyone:
 * every method holds this object's monitor.
 */
final class UplinkProgress {

    private record Waiter(long seq, CompletableFuture<Void> future) {
    }

    private long batches;
    private long events;
    private long outboxErrors;
    private long gapsDeclared;
    private long eventsDeclaredLost;
    private final Map<String, Long> acked = new HashMap<>();
    private final Map<UplinkException.Reason, Long> failures = new EnumMap<>(UplinkException.Reason.class);
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private String lastError;
    private Instant lastSuccess;
    private Duration backoff = Duration.ZERO;
    private boolean closed;

    synchronized void batchAcked(int eventCount, Instant at) {
        batches++;
        events += eventCount;
        lastSuccess = at;
    }

    synchronized void gapDeclared(long lostEvents) {
        gapsDeclared++;
        eventsDeclaredLost += lostEvents;
    }

    synchronized void reached(String stream, long seq, Instant at) {
        acked.merge(stream, seq, Math::max);
        lastSuccess = at;
        long mark = acked.get(stream);
        List<Waiter> list = waiters.getOrDefault(stream, List.of());
        for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.seq <= mark) {
                w.future.complete(null);
                it.remove();
            }
        }
    }

    /** A request failed; the uplink now waits {@code retryIn}. */
    synchronized void failed(UplinkException.Reason reason, String message, Duration retryIn) {
        failures.merge(reason, 1L, Long::sum);
        lastError = message;
        backoff = retryIn;
    }

    synchronized void outboxFailed(String message, Duration retryIn) {
        outboxErrors++;
        lastError = message;
        backoff = retryIn;
    }

    synchronized void healthy() {
        backoff = Duration.ZERO;
    }

    synchronized CompletableFuture<Void> await(String stream, long seq) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (acked.getOrDefault(stream, 0L) >= seq || seq <= 0) {
            f.complete(null);
        } else if (closed) {
            f.completeExceptionally(new IllegalStateException("uplink is closed"));
        } else {
            waiters.computeIfAbsent(stream, s -> new ArrayList<>()).add(new Waiter(seq, f));
        }
        return f;
    }

    synchronized void close() {
        closed = true;
        waiters.forEach((stream, list) -> list.forEach(w -> w.future.completeExceptionally(
                new IllegalStateException("uplink closed before stream " + stream + " reached seq " + w.seq))));
        waiters.clear();
    }

    synchronized UplinkStats snapshot() {
        return new UplinkStats(batches, events, acked, failures, outboxErrors,
                Optional.ofNullable(lastError), Optional.ofNullable(lastSuccess), backoff, gapsDeclared, eventsDeclaredLost);
    }
}
