package org.campusedge.sync.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The events waiting to be written to one client, oldest first, at most {@code capacity}.
 * A coalescable event replaces the waiting event with the same key and takes its place at the
 * tail, so the client still sees ids in increasing order and gets the latest value for that key;
 * the replaced event is never sent (its id is a gap the client may see). Other events are never
 * dropped: when they do not fit, the queue reports an overflow and the caller disconnects the
 * client. Netty-free; not thread-safe (its {@link SseSession} locks around it).
 */
final class SseQueue {

    /** What {@link #offer} did. */
    enum Offer { QUEUED, COALESCED, OVERFLOW }

    /** An event and its encoded bytes, shared by every client it is sent to. */
    record Encoded(SseEvent event, byte[] bytes) {
    }

    private final int capacity;
    // Keyed by the coalescing key, or by the sequence number for events that never coalesce.
    private final LinkedHashMap<Object, Encoded> waiting = new LinkedHashMap<>();

    SseQueue(int capacity) {
        this.capacity = capacity;
    }

    Offer offer(Encoded e) {
        SseEvent ev = e.event();
        // A String key and a Long sequence number never compare equal, so the two kinds share one map.
        Object slot = ev.coalescable() ? ev.key() : (Object) ev.seq();
        if (waiting.remove(slot) != null) {
            waiting.put(slot, e);
            return Offer.COALESCED;
        }
        if (waiting.size() >= capacity) {
            return Offer.OVERFLOW;
        }
        waiting.put(slot, e);
        return Offer.QUEUED;
    }

    /** Removes and returns up to {@code max} events, oldest first. */
    List<Encoded> take(int max) {
        List<Encoded> out = new ArrayList<>(Math.min(max, waiting.size()));
        Iterator<Encoded> it = waiting.values().iterator();
        while (out.size() < max && it.hasNext()) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    int size() {
        return waiting.size();
    }

    void clear() {
        waiting.clear();
    }
}
