package org.campusedge.sync.wire;

/**
 * The data center's answer to an accepted {@link IngestBatch}.
 *
 * @param deviceId   the box
 * @param stream     the stream
 * @param ackedSeq   the center holds every event of the stream up to and including this seq;
 *                   the box may forget them
 * @param stored     events of the batch that were new
 * @param duplicates events of the batch the center already held (a resend after a lost answer)
 */
public record IngestAck(String deviceId, String stream, long ackedSeq, int stored, int duplicates) {
    public IngestAck {
        if (ackedSeq < 0 || stored < 0 || duplicates < 0) {
            throw new IllegalArgumentException("ackedSeq, stored and duplicates must not be negative");
        }
    }
}
