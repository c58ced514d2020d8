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
 */
public record JournalEntry(EventType type, Instant occurredAt, Optional<String> room, String payloadJson) {
    public JournalEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(payloadJson, "payloadJson");
        if (!payloadJson.startsWith("{")) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
    }
}
