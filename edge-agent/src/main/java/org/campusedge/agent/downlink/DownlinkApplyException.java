package org.campusedge.agent.downlink;

/** A downlink delta could not be stored on the box; the old version stays in force. */
public final class DownlinkApplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DownlinkApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
