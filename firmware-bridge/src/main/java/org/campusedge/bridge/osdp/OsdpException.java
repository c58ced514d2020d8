package org.campusedge.bridge.osdp;

/** An OSDP command or reply body is not what its code requires. */
public final class OsdpException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Reason {
        /** The body is shorter or longer than the code requires. */
        BAD_LENGTH,
        /** A field holds a value the specification does not allow. */
        BAD_VALUE,
        /** The packet is not the reply the caller expected. */
        UNEXPECTED_REPLY
    }

    private final Reason reason;

    public OsdpException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
