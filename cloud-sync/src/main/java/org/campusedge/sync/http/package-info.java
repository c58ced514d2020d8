/**
 * A small Netty HTTP/1.1 server kit shared by the data center and the agent's own HTTP API:
 * {@link org.campusedge.sync.http.HttpServer} (binding, limits, worker threads, keep-alive),
 * {@link org.campusedge.sync.http.Router} and {@link org.campusedge.sync.http.Route} (blocking
 * handlers, run off the event loop), and the Netty-free values
 * {@link org.campusedge.sync.http.HttpRequestView} and {@link org.campusedge.sync.http.HttpReply}.
 */
package org.campusedge.sync.http;
