package org.campusedge.sync.wire;

/**
 * Bytes that are not a valid message of the sync protocol. The message says what is wrong and
 * where, e.g. {@code events[2].seq: expected a number}, so a 400 answer can carry it as is.
 */
public final class WireFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
