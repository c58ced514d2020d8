package org.campusedge.sync.uplink;

import java.time.Duration;
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
        /** 429: this device sends faster than the center allows; wait {@link #retryAfter()} and resend. */
        THROTTLED,
        /** 5xx, or an answer the client could not read: the center is unwell; retry later. */
        SERVER_ERROR,
        /** Connection refused or reset, DNS failure, timeout: retry later. */
        NETWORK
    }

    private final Reason reason;
    private final int status;
    private final long serverAckedSeq;
    private final Duration retryAfter;

    /**
     * @param reason         the kind of failure
     * @param status         the HTTP status, 0 if there was no answer
     * @param message        what happened, for the log
     * @param serverAckedSeq the center's mark for {@link Reason#GAP}, otherwise -1
     * @param cause          the underlying exception, if any
     */
    public UplinkException(Reason reason, int status, String message, long serverAckedSeq, Throwable cause) {
        this(reason, status, message, serverAckedSeq, cause, Duration.ZERO);
    }

    /** As above, with the center's {@code Retry-After} (zero when it gave none). */
    public UplinkException(Reason reason, int status, String message, long serverAckedSeq, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
        this.serverAckedSeq = serverAckedSeq;
        this.retryAfter = java.util.Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** How long the center asked us to wait ({@code Retry-After}); zero if it did not say. */
    public Duration retryAfter() {
        return retryAfter;
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
