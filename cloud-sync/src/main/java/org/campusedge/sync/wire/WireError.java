package org.campusedge.sync.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer of the data center: {@code {"error":"gap","message":"...","ackedSeq":41}}.
 *
 * @param error    a stable machine-readable code: {@code unauthorized}, {@code forbidden},
 *                 {@code bad_request}, {@code gap}, {@code internal_error}...
 * @param message  what went wrong, for a human
 * @param ackedSeq for {@code gap} only: the center's mark, from which the box must resend
 */
public record WireError(String error, String message, @JsonInclude(JsonInclude.Include.NON_NULL) Long ackedSeq) {

    /** An error without a mark. */
    public static WireError of(String error, String message) {
        return new WireError(error, message, null);
    }
}
