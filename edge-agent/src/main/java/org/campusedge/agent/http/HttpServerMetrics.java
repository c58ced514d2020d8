package org.campusedge.agent.http;

import org.campusedge.sync.http.HttpServerStats;
import org.campusedge.sync.http.SseStats;

/** The agent's HTTP server counters (requests, bad requests, live event streams) for {@code /metrics}. */
public final class HttpServerMetrics {

    private HttpServerMetrics() {
    }

    /** Adds {@code s} to {@code p}. */
    public static void render(HttpServerStats s, PrometheusText p) {
        p.family("campus_edge_http_responses_total", "counter", "HTTP responses written, by status class.")
                .sample("campus_edge_http_responses_total", s.status2xx(), "status", "2xx")
                .sample("campus_edge_http_responses_total", s.status4xx(), "status", "4xx")
                .sample("campus_edge_http_responses_total", s.status5xx(), "status", "5xx");
        p.family("campus_edge_http_bad_requests_total", "counter", "Requests refused before any route: unparseable or too large.")
                .sample("campus_edge_http_bad_requests_total", s.malformed(), "reason", "malformed")
                .sample("campus_edge_http_bad_requests_total", s.oversize(), "reason", "oversize");
        SseStats streams = s.streams();
        p.metric("campus_edge_http_streams_open", "gauge", "Live-update streams (/api/stream) open now.", streams.open());
        p.metric("campus_edge_http_stream_events_total", "counter", "Events written to live-update streams (one per event per client).",
                streams.eventsSent());
        p.metric("campus_edge_http_stream_events_coalesced_total", "counter",
                "Room updates replaced, unsent, by a newer one for a client that fell behind.", streams.coalesced());
        p.family("campus_edge_http_streams_ended_total", "counter", "Live-update streams the agent ended, by reason.")
                .sample("campus_edge_http_streams_ended_total", streams.slowDisconnects(), "reason", "slow_client")
                .sample("campus_edge_http_streams_ended_total", streams.leasesEnded(), "reason", "session_ended");
        p.metric("campus_edge_http_streams_refused_total", "counter", "Live-update streams refused (503): too many open.",
                streams.refused());
    }
}
