package org.campusedge.sync.http;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Looks at every request before the {@link Router} matches it to a route (stream routes
 * included) and may answer it instead: a 401 for a visitor who has not logged in, a 403 for a
 * forged or forbidden request, a redirect to a log-in page. Runs on a worker thread, like a
 * {@link Route}; it must be thread-safe. An exception becomes a 500, as from a route.
 */
@FunctionalInterface
public interface RequestGuard {

    /** Empty to let the request through to its route, or the reply that refuses it. */
    Optional<HttpReply> check(HttpRequestView request) throws Exception;

    /**
     * For an event stream {@code request} opens (after {@link #check} let it through): whether
     * its client may still have the stream, asked at every heartbeat and on
     * {@link SseHub#recheckLeases()}. A log-in session's stream should end with the session.
     * The default lease never runs out.
     */
    default BooleanSupplier lease(HttpRequestView request) {
        return () -> true;
    }
}
