package org.campusedge.sync.http;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A route whose answer may come later, without holding a worker thread meanwhile (a long-poll):
 * it returns at once with a future that something else completes. {@link HttpServer} writes the
 * reply when the future completes and, if the client closes the connection first, cancels the
 * future, so whoever holds it can let go. Later requests on the same connection wait their turn
 * (HTTP/1.1 answers in order).
 */
@FunctionalInterface
public interface DeferredRoute {

    /**
     * @return the reply, now or later; a future completed exceptionally is answered 500
     * @throws Exception answered 500, like a {@link Route}'s
     */
    CompletableFuture<HttpReply> handle(HttpRequestView request, Map<String, String> params) throws Exception;
}
