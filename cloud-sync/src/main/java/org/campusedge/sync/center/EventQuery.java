package org.campusedge.sync.center;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A search of stored events by the box's time, for city-wide queries and reports. Results come in
 * the order {@code (occurredAt, device, stream, seq)}, a total order, so a page ends at a
 * {@link Cursor} and the next page starts right after it.
 *
 * @param devices only these devices (a school's boxes); empty: every device. An empty set matches nothing
 * @param room    only events naming this room
 * @param types   only these event types; empty set: every type
 * @param from    earliest {@code occurredAt}, inclusive
 * @param to      latest {@code occurredAt}, exclusive
 * @param after   start after this event (the previous page's last)
 * @param limit   the most events to return, 1..{@link #MAX_LIMIT}
 */
public record EventQuery(Optional<Set<String>> devices, Optional<String> room, Set<String> types, Instant from, Instant to,
                         Optional<Cursor> after, int limit) {

    /** The largest page a store is asked for. */
    public static final int MAX_LIMIT = 10_000;

    public EventQuery {
        devices = devices.map(Set::copyOf);
        Objects.requireNonNull(room, "room");
        types = Set.copyOf(types);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
    }

    /** Every event of {@code types} in {@code [from, to)}, first page. */
    public static EventQuery of(Set<String> types, Instant from, Instant to, int limit) {
        return new EventQuery(Optional.empty(), Optional.empty(), types, from, to, Optional.empty(), limit);
    }

    /** The same search, continuing after {@code cursor}. */
    public EventQuery after(Cursor cursor) {
        return new EventQuery(devices, room, types, from, to, Optional.of(cursor), limit);
    }

    /**
     * A position in the result order: the last event of a page.
     */
    public record Cursor(Instant occurredAt, String device, String stream, long seq) {
        public Cursor {
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(stream, "stream");
        }

        public static Cursor of(StoredEvent e) {
            return new Cursor(e.occurredAt(), e.deviceId(), e.stream(), e.seq());
        }
    }

    /**
     * One page of results.
     *
     * @param events the events, in result order
     * @param next   where the next page starts; empty if this page is the last
     */
    public record Page(java.util.List<StoredEvent> events, Optional<Cursor> next) {
        public Page {
            events = java.util.List.copyOf(events);
            Objects.requireNonNull(next, "next");
        }
    }
}
