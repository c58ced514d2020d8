package org.campusedge.sync.http;

import java.util.Map;

/**
 * Handles one request. Runs on a worker thread of the {@link HttpServer}, never on an event
 * loop, so it may block (JDBC, file I/O). An exception becomes a 500 JSON error and is logged.
 */
@FunctionalInterface
public interface Route {

    /**
     * @param request    the complete request
     * @param pathParams values of the pattern's {@code {name}} segments, URL-decoded
     */
    HttpReply handle(HttpRequestView request, Map<String, String> pathParams) throws Exception;
}
