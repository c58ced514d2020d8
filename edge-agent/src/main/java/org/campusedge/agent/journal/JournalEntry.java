package org.campusedge.agent.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An event to be journaled; it becomes a {@link JournalEvent} with a sequence number at commit.
 *
 * @param type        what happened
 * @param occurredAt  when it happened
 * @param room        the room it concerns, if any (indexed for queries)
 * @param payloadJson the event body, a JSON object
 * @param reading     for a {@code sensor.reading}, the decoded body {@code payloadJson} was written
 *                    from (handed on to commit listeners), else null
 */
public record JournalEntry(EventType type, Instant occurredAt, Optional<String> room, String payloadJson,
                           ReadingBody reading) {
    public JournalEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(payloadJson, "payloadJson");
        if (!payloadJson.startsWith("{")) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        if (reading != null && type != EventType.SENSOR_READING) {
            throw new IllegalArgumentException("only a sensor.reading carries a decoded reading, not " + type.wireName());
        }
    }

    public JournalEntry(EventType type, Instant occurredAt, Optional<String> room, String payloadJson) {
        this(type, occurredAt, room, payloadJson, null);
    }

    /** A {@code sensor.reading} of {@code body}, carrying it decoded to the commit listeners. */
    public static JournalEntry reading(ReadingBody body, Instant occurredAt) {
        return new JournalEntry(EventType.SENSOR_READING, occurredAt, Optional.of(body.room()), body.json(), body);
    }
}
