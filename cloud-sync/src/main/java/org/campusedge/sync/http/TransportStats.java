package org.campusedge.sync.http;

/**
 * TLS and compression counters of an {@link HttpServer} since it was created.
 *
 * @param tlsHandshakes        TLS handshakes completed
 * @param tlsFailures          TLS handshakes that failed (an untrusted or plain-HTTP client, no common protocol)
 * @param compressedRequests   requests whose body arrived with {@code Content-Encoding: gzip} or {@code deflate}
 * @param compressedResponses  responses sent compressed because the client accepted it
 */
public record TransportStats(long tlsHandshakes, long tlsFailures, long compressedRequests, long compressedResponses) {

    /** All zero. */
    public static final TransportStats NONE = new TransportStats(0, 0, 0, 0);
}
