package org.campusedge.sync.http;

import java.util.Optional;

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
}
