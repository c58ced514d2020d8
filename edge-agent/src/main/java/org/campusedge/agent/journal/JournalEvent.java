package org.campusedge.agent.journal;

import org.campusedge.sync.wire.WireEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A committed event.
 *
 * <p>A value like a record, equal by its stored fields. A reading just committed also carries
 * its decoded body ({@link #reading()}), so commit listeners need not parse the JSON the ingest
 * just wrote; an event read back from the file has none and is parsed on demand. The decoded body
 * is not part of equality: it says nothing the payload does not.
 */
public final class JournalEvent {

    private final EventStream stream;
    private final long seq;
    private final String type;
    private final Instant occurredAt;
    private final Instant recordedAt;
    private final Optional<String> room;
    private final String payloadJson;
    private final ReadingBody reading;

    /**
     * @param stream      the stream it belongs to
     * @param seq         its sequence number in that stream, assigned at commit (1, 2, 3, … without gaps)
     * @param type        event type wire name
     * @param occurredAt  when it happened
     * @param recordedAt  when the journal committed it
     * @param room        the room it concerns, if any
     * @param payloadJson the event body
     */
    public JournalEvent(EventStream stream, long seq, String type, Instant occurredAt, Instant recordedAt,
                        Optional<String> room, String payloadJson) {
        this(stream, seq, type, occurredAt, recordedAt, room, payloadJson, null);
    }

    JournalEvent(EventStream stream, long seq, String type, Instant occurredAt, Instant recordedAt,
                 Optional<String> room, String payloadJson, ReadingBody reading) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.seq = seq;
        this.type = Objects.requireNonNull(type, "type");
        this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
        this.room = Objects.requireNonNull(room, "room");
        this.payloadJson = Objects.requireNonNull(payloadJson, "payloadJson");
        this.reading = reading;
    }

    public EventStream stream() {
        return stream;
    }

    public long seq() {
        return seq;
    }

    public String type() {
        return type;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public Optional<String> room() {
        return room;
    }

    public String payloadJson() {
        return payloadJson;
    }

    public boolean isReading() {
        return type.equals(EventType.SENSOR_READING.wireName());
    }

    /**
     * The body of a {@code sensor.reading}: the decoded one it was committed with, else parsed
     * from the payload.
     *
     * @throws IOException if this is not a well-formed reading
     */
    public ReadingBody reading() throws IOException {
        if (reading != null) {
            return reading;
        }
        if (!isReading()) {
            throw new IOException("a " + type + " event is not a reading");
        }
        return ReadingBody.parse(payloadJson);
    }

    public WireEvent toWire() {
        return new WireEvent(seq, type, occurredAt, payloadJson);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEvent e && seq == e.seq && stream == e.stream && type.equals(e.type)
                && occurredAt.equals(e.occurredAt) && recordedAt.equals(e.recordedAt) && room.equals(e.room)
                && payloadJson.equals(e.payloadJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, type, occurredAt, recordedAt, room, payloadJson);
    }

    @Override
    public String toString() {
        return "JournalEvent[stream=" + stream.wireName() + ", seq=" + seq + ", type=" + type + ", occurredAt=" + occurredAt
                + ", room=" + room.orElse("-") + ", payload=" + payloadJson + "]";
    }
}
