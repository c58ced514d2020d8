/**
 * A small Netty HTTP/1.1 server kit shared by the data center and the agent's own HTTP API:
 * {@link org.campusedge.sync.http.HttpServer} (binding, limits, worker threads, keep-alive),
 * {@link org.campusedge.sync.http.Router} and {@link org.campusedge.sync.http.Route} (blocking
 * handlers, run off the event loop), and the Netty-free values
 * {@link org.campusedge.sync.http.HttpRequestView} and {@link org.campusedge.sync.http.HttpReply};
 * and server-sent events: {@link org.campusedge.sync.http.SseHub} (publish from any thread,
 * bounded coalescing per-client queues, {@code Last-Event-ID} replay) served by stream routes
 * ({@link org.campusedge.sync.http.Router#stream}, {@link org.campusedge.sync.http.SseRoute}).
 */
package org.campusedge.sync.http;
