package org.campusedge.sync.uplink;

import java.util.OptionalLong;

/**
 * A request to the data center failed. {@link #reason()} says what the uplink should do about it.
 */
public final class UplinkException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Reason {
        /** 401: the token is missing or unknown to the center. Retrying will not help until it is fixed. */
        UNAUTHORIZED,
        /** 403: the token belongs to another device. */
        FORBIDDEN,
        /** 409: the batch starts beyond the center's mark; resend from {@link #serverAckedSeq()}. */
        GAP,
        /** Another 4xx: the center refuses the request as such. */
        REJECTED,
        /** 5xx, or an answer the client could not read: the center is unwell; retry later. */
        SERVER_ERROR,
        /** Connection refused or reset, DNS failure, timeout: retry later. */
        NETWORK
    }

    private final Reason reason;
    private final int status;
    private final long serverAckedSeq;

    /**
     * @param reason         the kind of failure
     * @param status         the HTTP status, 0 if there was no answer
     * @param message        what happened, for the log
     * @param serverAckedSeq the center's mark for {@link Reason#GAP}, otherwise -1
     * @param cause          the underlying exception, if any
     */
    public UplinkException(Reason reason, int status, String message, long serverAckedSeq, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
        this.serverAckedSeq = serverAckedSeq;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status of the answer; 0 if there was none. */
    public int status() {
        return status;
    }

    /** For {@link Reason#GAP}: the center's acknowledged seq of the stream. */
    public OptionalLong serverAckedSeq() {
        return serverAckedSeq >= 0 ? OptionalLong.of(serverAckedSeq) : OptionalLong.empty();
    }
}
