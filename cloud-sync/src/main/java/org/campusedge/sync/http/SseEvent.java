package org.campusedge.sync.http;

import java.util.Objects;

/**
 * One server-sent event as the {@link SseHub} published it.
 *
 * @param seq  the hub's sequence number, 1 for its first event, increasing by one per event
 * @param id   the SSE {@code id:} field, {@code <epoch>-<seq>}; the epoch changes when the hub is
 *             recreated, so a {@code Last-Event-ID} from an earlier process is recognised as unknown
 * @param name the SSE {@code event:} field, e.g. {@code room}, {@code alarm}, {@code tap}
 * @param key  the coalescing key, e.g. {@code room/studio-1}: a newer event with the same key
 *             replaces this one while it is still waiting to be sent to a client; null for events
 *             that are never coalesced (taps, alarms)
 * @param data the payload, usually JSON; may span several lines
 */
public record SseEvent(long seq, String id, String name, String key, String data) {

    public SseEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    /** True if a newer event with the same key may replace this one in a client's queue. */
    public boolean coalescable() {
        return key != null;
    }
}
