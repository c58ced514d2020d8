package org.campusedge.sync.wire;

import java.time.Instant;
import java.util.Objects;

/**
 * One journaled event as it travels from a box to the data center.
 *
 * @param seq         the event's sequence number in its stream, assigned by the box's journal at commit
 * @param type        event type, e.g. {@code access.decision}, {@code reader.status}
 * @param occurredAt  when it happened, by the box's clock
 * @param payloadJson the event body: a JSON object, carried verbatim (never re-parsed on the box)
 */
public record WireEvent(long seq, String type, Instant occurredAt, String payloadJson) {
    public WireEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payloadJson, "payloadJson");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
    }
}
