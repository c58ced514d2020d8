package org.campusedge.sync.wire;

import java.time.Instant;
import java.util.Objects;

/**
 * One journaled event as it travels from a box to the data center.
 *
 * <p>{@code room} is not on the wire: it is derived from the payload ({@link PayloadRoom}), and
 * only the data center needs it. {@link JsonCodec}'s batch decoder reads it while it checks the
 * payload and passes it in; the four-argument constructor, which the box and tests use, leaves
 * it to {@link #room()} to work out on first ask, so the box never parses a payload for it.
 * Being derived, it takes no part in {@link #equals(Object)} and {@link #hashCode()}.
 *
 * @param seq         the event's sequence number in its stream, assigned by the box's journal at commit
 * @param type        event type, e.g. {@code access.decision}, {@code reader.status}
 * @param occurredAt  when it happened, by the box's clock
 * @param payloadJson the event body: a JSON object, carried verbatim (never re-parsed on the box)
 * @param room        the payload's top-level {@code room} string as {@link PayloadRoom#of} reads
 *                    it, or null; only for a caller that has just parsed the payload
 */
public record WireEvent(long seq, String type, Instant occurredAt, String payloadJson, String room) {

    /** The room component of an event whose payload has not been looked at; compared by identity. */
    private static final String UNREAD = new String("(room not read yet)");

    public WireEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payloadJson, "payloadJson");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        // Tests run with assertions on: every room passed in is checked against the slow path.
        assert room == UNREAD || Objects.equals(room, PayloadRoom.of(payloadJson))
                : "room " + room + " is not the payload's " + PayloadRoom.of(payloadJson);
    }

    /** An event whose room, if asked for, is read from the payload then. */
    public WireEvent(long seq, String type, Instant occurredAt, String payloadJson) {
        this(seq, type, occurredAt, payloadJson, UNREAD);
    }

    /** The payload's top-level {@code room} string, or null if it has none (see {@link PayloadRoom}). */
    @Override
    public String room() {
        return room == UNREAD ? PayloadRoom.of(payloadJson) : room;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireEvent e && seq == e.seq && type.equals(e.type) && occurredAt.equals(e.occurredAt)
                && payloadJson.equals(e.payloadJson);
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(seq) * 31 + type.hashCode()) * 31 + occurredAt.hashCode()) * 31 + payloadJson.hashCode();
    }

    @Override
    public String toString() {
        return "WireEvent[seq=" + seq + ", type=" + type + ", occurredAt=" + occurredAt + ", payloadJson=" + payloadJson
                + ", room=" + room() + "]";
    }
}
