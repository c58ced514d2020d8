package org.campusedge.bridge.rdm6300;

/** A byte sequence is not a valid RDM6300 frame. */
public final class Rdm6300Exception extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    public enum Reason {
        /** Not exactly 14 bytes. */
        LENGTH,
        /** The first byte is not STX (0x02). */
        NO_STX,
        /** The last byte is not ETX (0x03). */
        NO_ETX,
        /** A data or checksum character is not an ASCII hex digit. */
        NOT_HEX,
        /** The checksum does not match the XOR of the data bytes. */
        CHECKSUM
    }

    private final Reason reason;

    public Rdm6300Exception(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
