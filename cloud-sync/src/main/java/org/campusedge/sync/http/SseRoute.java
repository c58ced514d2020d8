package org.campusedge.sync.http;

import java.util.Map;

/**
 * Opens a server-sent-event stream, registered with {@link Router#stream(String, SseRoute)}.
 * Runs on a worker thread, like a {@link Route}, so it may block to validate the request (look
 * up a room, check a token); it answers {@link SseAnswer#refuse(HttpReply)} with an ordinary
 * reply (400, 404...) or {@link SseAnswer#subscribe(SseHub, java.util.function.Predicate)}.
 * An exception becomes a 500 JSON error.
 */
@FunctionalInterface
public interface SseRoute {

    /**
     * @param request    the request; its query string usually chooses the filter
     * @param pathParams values of the pattern's {@code {name}} segments, URL-decoded
     */
    SseAnswer open(HttpRequestView request, Map<String, String> pathParams) throws Exception;
}
