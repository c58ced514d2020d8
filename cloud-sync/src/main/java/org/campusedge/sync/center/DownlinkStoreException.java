package org.campusedge.sync.center;

/** The downlink store cannot be read or written. */
public final class DownlinkStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DownlinkStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
