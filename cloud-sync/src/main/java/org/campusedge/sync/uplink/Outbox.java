package org.campusedge.sync.uplink;

import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The box's store of events not yet acknowledged by the data center, seen from the uplink.
 * Implemented by the agent's journal; the uplink never knows it is SQLite.
 */
public interface Outbox {

    /** Stream names in the order they should be drained (priority stream first). */
    List<String> streams();

    /** The highest sequence number the data center has acknowledged for {@code stream}; 0 if none. */
    long ackedSeq(String stream);

    /** The highest sequence number committed in {@code stream}; 0 if none. */
    long lastSeq(String stream);

    /**
     * Up to {@code max} committed events of {@code stream} with {@code seq > afterSeq}, in
     * sequence order, without gaps.
     */
    List<WireEvent> after(String stream, long afterSeq, int max);

    /**
     * When the first committed event of {@code stream} after {@code seq} happened (box time);
     * empty if there is none. The uplink reports it as the oldest event the center still lacks.
     * The default reads that one event; a journal overrides it with a cheaper lookup.
     */
    default Optional<Instant> occurredAfter(String stream, long seq) {
        List<WireEvent> next = after(stream, seq, 1);
        return next.isEmpty() ? Optional.empty() : Optional.of(next.get(0).occurredAt());
    }

    /**
     * Records that the data center holds every event of {@code stream} up to {@code seq}.
     * Durable when this returns. Never moves the mark backwards.
     */
    void acknowledge(String stream, long seq);

    /**
     * Runs of {@code stream} the box lost before the center had them (e.g. deleted to stay under
     * a disk budget) and has not yet declared, oldest first. The uplink declares each before
     * sending the events after it. An outbox that never loses events has none.
     */
    default List<WireGap> undeclaredGaps(String stream) {
        return List.of();
    }

    /** Records that the center has {@code gap} on record; it is not declared again. Durable when this returns. */
    default void gapDeclared(String stream, WireGap gap) {
        throw new UnsupportedOperationException("this outbox records no gaps");
    }
}
