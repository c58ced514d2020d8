package org.campusedge.sync.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** What an {@link SseRoute} decides: refuse with an ordinary reply, or subscribe to a hub. */
public sealed interface SseAnswer permits SseAnswer.Refuse, SseAnswer.Subscribe {

    /** No stream; the client gets {@code reply} (e.g. a 400 for a bad filter). */
    static SseAnswer refuse(HttpReply reply) {
        return new Refuse(reply);
    }

    /**
     * A stream of the events of {@code hub} that {@code filter} accepts. The filter runs on the
     * publisher's thread under the hub's lock, once per event: keep it a quick test of the
     * event's name, key or id, with no I/O.
     */
    static SseAnswer subscribe(SseHub hub, Predicate<SseEvent> filter) {
        return new Subscribe(hub, filter, () -> true);
    }

    /**
     * As {@link #subscribe(SseHub, Predicate)}, for a client whose right to the stream can end
     * (a log-in session that expires or is logged out): {@code lease} is asked at every
     * heartbeat and whenever {@link SseHub#recheckLeases()} is called, on the connection's event
     * loop; once it answers false the stream ends cleanly and the client, reconnecting, meets
     * the same checks as any new request. Keep it quick and free of I/O.
     */
    static SseAnswer subscribe(SseHub hub, Predicate<SseEvent> filter, BooleanSupplier lease) {
        return new Subscribe(hub, filter, lease);
    }

    /** A stream of every event of {@code hub}. */
    static SseAnswer subscribe(SseHub hub) {
        return new Subscribe(hub, e -> true, () -> true);
    }

    /** @param reply the reply sent instead of a stream */
    record Refuse(HttpReply reply) implements SseAnswer {
        public Refuse {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * @param hub    where the events come from
     * @param filter which of them this client gets
     * @param lease  whether the client may still have the stream
     */
    record Subscribe(SseHub hub, Predicate<SseEvent> filter, BooleanSupplier lease) implements SseAnswer {
        public Subscribe {
            Objects.requireNonNull(hub, "hub");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(lease, "lease");
        }
    }
}
