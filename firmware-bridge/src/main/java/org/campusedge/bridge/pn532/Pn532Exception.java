package org.campusedge.bridge.pn532;

/** A byte sequence is not a valid PN532 frame, or a response does not carry what it must. */
public final class Pn532Exception extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Reason {
        /** Fewer bytes than the frame needs. */
        TRUNCATED,
        /** More bytes after the frame's postamble. */
        TRAILING_BYTES,
        /** No {@code 00 FF} start code where the frame must begin. */
        NO_START_CODE,
        /** LEN + LCS is not 0 mod 256 (also LENM + LENL + LCS of extended frames). */
        LENGTH_CHECKSUM,
        /** LEN is 0 or 1 outside an ACK or error frame, or above the configured maximum. */
        LENGTH_OUT_OF_RANGE,
        /** TFI + PD bytes + DCS is not 0 mod 256. */
        DATA_CHECKSUM,
        /** The byte after DCS (or after an ACK/NACK's LCS) is not the 0x00 postamble. */
        NO_POSTAMBLE,
        /** TFI is neither D4, D5 nor (for a 1-byte LEN) the error frame's 7F. */
        UNKNOWN_TFI,
        /** A response's data does not have the layout its command defines. */
        MALFORMED_RESPONSE
    }

    private final Reason reason;

    public Pn532Exception(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
