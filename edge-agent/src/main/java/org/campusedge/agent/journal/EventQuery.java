package org.campusedge.agent.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over journaled events, newest first.
 *
 * @param stream only this stream
 * @param type   only this event type (wire name)
 * @param room   only this room
 * @param since  only events that occurred at or after this instant
 * @param until  only events that occurred before this instant
 * @param card   only events whose payload's {@code card} is exactly this: the card number as the
 *               journal stores it (access decisions carry the number the reader read; pseudonyms
 *               are made only for events leaving the box). Raw readings never match.
 * @param before continue after this page position ({@link EventCursor#START}: from the newest)
 * @param limit  at most this many (1..1000)
 */
public record EventQuery(Optional<EventStream> stream, Optional<String> type, Optional<String> room,
                         Optional<Instant> since, Optional<Instant> until, Optional<String> card, EventCursor before,
                         int limit) {

    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ", got " + limit);
        }
        Objects.requireNonNull(before, "before");
    }

    /** A query from the newest, without a time bound above or a card. */
    public EventQuery(Optional<EventStream> stream, Optional<String> type, Optional<String> room,
                      Optional<Instant> since, int limit) {
        this(stream, type, room, since, Optional.empty(), Optional.empty(), EventCursor.START, limit);
    }

    public static EventQuery latest(int limit) {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /** The same filter, continuing after {@code cursor}. */
    public EventQuery after(EventCursor cursor) {
        return new EventQuery(stream, type, room, since, until, card, cursor, limit);
    }

    /** The same filter with another page size. */
    public EventQuery withLimit(int n) {
        return new EventQuery(stream, type, room, since, until, card, before, n);
    }

    /** Whether this query covers raw readings at all. */
    boolean coversReadings() {
        return stream.map(s -> s == EventStream.READINGS).orElse(true)
                && type.map(t -> t.equals(EventType.SENSOR_READING.wireName())).orElse(true)
                && card.isEmpty();
    }

    /** Whether this query covers the indexed events (all but raw readings). */
    boolean coversIndexed() {
        return stream.map(s -> s != EventStream.READINGS).orElse(true)
                && type.map(t -> !t.equals(EventType.SENSOR_READING.wireName())).orElse(true);
    }
}
