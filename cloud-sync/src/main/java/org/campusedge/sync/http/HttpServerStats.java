package org.campusedge.sync.http;

/**
 * Counters of an {@link HttpServer} since it was created.
 *
 * @param requests  responses written, whatever their status
 * @param status2xx successful responses
 * @param status4xx client errors, including malformed and oversize requests
 * @param status5xx server errors (a route threw, or the workers were saturated)
 * @param malformed requests the HTTP decoder could not parse (answered 400, connection closed)
 * @param oversize  requests whose body exceeded the limit (answered 413)
 * @param streams   server-sent-event streams; an opened stream counts once in {@code requests}
 *                  and {@code status2xx}
 * @param transport TLS handshakes and compressed bodies
 */
public record HttpServerStats(long requests, long status2xx, long status4xx, long status5xx,
                              long malformed, long oversize, SseStats streams, TransportStats transport) {

    /** Stats of a server without TLS or compressed traffic. */
    public HttpServerStats(long requests, long status2xx, long status4xx, long status5xx, long malformed, long oversize,
                           SseStats streams) {
        this(requests, status2xx, status4xx, status5xx, malformed, oversize, streams, TransportStats.NONE);
    }

    /** Stats of a server that has served no streams. */
    public HttpServerStats(long requests, long status2xx, long status4xx, long status5xx, long malformed, long oversize) {
        this(requests, status2xx, status4xx, status5xx, malformed, oversize, SseStats.NONE, TransportStats.NONE);
    }
}
