package org.campusedge.bridge.wiegand;

/** A Wiegand frame does not decode in the expected format. */
public final class WiegandException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    public enum Reason {
        /** The bit count does not fit the format (a truncated or unknown frame). */
        LENGTH,
        /** The leading even-parity bit does not match the first half of the data. */
        EVEN_PARITY,
        /** The trailing odd-parity bit does not match the second half of the data. */
        ODD_PARITY
    }

    private final Reason reason;

    public WiegandException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
