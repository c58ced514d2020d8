package org.campusedge.agent.journal;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over journaled events, newest first.
 *
 * @param stream only this stream
 * @param type   only this event type (wire name)
 * @param room   only this room
 * @param since  only events that occurred at or after this instant
 * @param limit  at most this many (1..1000)
 */
public record EventQuery(Optional<EventStream> stream, Optional<String> type, Optional<String> room,
                         Optional<Instant> since, int limit) {

    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ", got " + limit);
        }
    }

    public static EventQuery latest(int limit) {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
}
