package org.campusedge.sync.http;

import java.util.Map;

/**
 * Handles one request whose answer may be a body streamed in chunks ({@link BodyAnswer#stream}),
 * e.g. a large CSV export, or an ordinary reply ({@link BodyAnswer#reply}: a 400 for a bad
 * parameter). Registered with {@link Router#download(String, BodyRoute)}; runs on a worker thread.
 */
@FunctionalInterface
public interface BodyRoute {

    /**
     * @param request    the complete request
     * @param pathParams values of the pattern's {@code {name}} segments, URL-decoded
     */
    BodyAnswer handle(HttpRequestView request, Map<String, String> pathParams) throws Exception;
}
