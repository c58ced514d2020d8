package org.campusedge.sync.center;

/**
 * A batch starts beyond the stream's mark + 1: storing it would leave a hole. Nothing was
 * stored; the box must resend from {@link #ackedSeq()} + 1.
 */
public final class GapException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long ackedSeq;

    public GapException(String deviceId, String stream, long ackedSeq, long fromSeq) {
        super("device " + deviceId + " stream " + stream + ": the center holds up to seq " + ackedSeq
                + ", the batch starts at " + fromSeq + "; resend from " + (ackedSeq + 1));
        this.ackedSeq = ackedSeq;
    }

    /** The stream's mark at the center. */
    public long ackedSeq() {
        return ackedSeq;
    }
}
