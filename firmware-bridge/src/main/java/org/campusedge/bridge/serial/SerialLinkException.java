package org.campusedge.bridge.serial;

/** A serial port could not be opened, read or written. */
public final class SerialLinkException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the link failed. */
    public enum Reason {
        /** The device path does not exist (unplugged, wrong name). */
        NOT_FOUND,
        /** The device exists but another process holds it, or permissions deny it. */
        BUSY_OR_DENIED,
        /** The port rejected the requested parameters. */
        BAD_PARAMETERS,
        /** An I/O error on an open port: the device went away or the line failed. */
        IO_ERROR,
        /** The operation was attempted on a closed link. */
        CLOSED
    }

    private final Reason reason;
    private final String port;

    public SerialLinkException(Reason reason, String port, String message, Throwable cause) {
        super(port + ": " + message, cause);
        this.reason = reason;
        this.port = port;
    }

    public SerialLinkException(Reason reason, String port, String message) {
        this(reason, port, message, null);
    }

    public Reason reason() {
        return reason;
    }

    public String port() {
        return port;
    }
}
