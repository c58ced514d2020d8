package org.campusedge.sync.center;

import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;

import java.util.Optional;

/**
 * The part of a declared gap a store records: what lies beyond the stream's mark. The rule every
 * store applies: a gap that starts beyond mark + 1 would leave a hole and is refused; one wholly
 * at or below the mark records nothing; otherwise {@code max(from, mark + 1)..to} is recorded and
 * the mark moves to {@code to}.
 *
 * @param from first lost seq recorded
 * @param to   last lost seq
 */
record GapPart(long from, long to) {

    /** What of {@code gap} to record, given the stream's mark {@code acked}. */
    static Optional<GapPart> beyondMark(GapDeclaration gap, long acked) throws GapException {
        if (gap.fromSeq() > acked + 1) {
            throw new GapException(gap.deviceId(), gap.stream(), acked, gap.fromSeq());
        }
        long from = Math.max(gap.fromSeq(), acked + 1);
        return gap.toSeq() >= from ? Optional.of(new GapPart(from, gap.toSeq())) : Optional.empty();
    }

    long count() {
        return to - from + 1;
    }

    /** The acknowledgement of a declaration: the mark after it, nothing stored. */
    static IngestAck ack(GapDeclaration gap, long acked) {
        return new IngestAck(gap.deviceId(), gap.stream(), Math.max(acked, gap.toSeq()), 0, 0);
    }
}
