package org.campusedge.agent.journal;

import org.campusedge.sync.wire.WireEvent;

import java.time.Instant;
import java.util.Optional;

/**
 * A committed event.
 *
 * @param stream      the stream it belongs to
 * @param seq         its sequence number in that stream, assigned at commit (1, 2, 3, … without gaps)
 * @param type        event type wire name
 * @param occurredAt  when it happened
 * @param recordedAt  when the journal committed it
 * @param room        the room it concerns, if any
 * @param payloadJson the event body
 */
public record JournalEvent(EventStream stream, long seq, String type, Instant occurredAt, Instant recordedAt,
                           Optional<String> room, String payloadJson) {

    public WireEvent toWire() {
        return new WireEvent(seq, type, occurredAt, payloadJson);
    }
}
