package org.campusedge.agent.http;

/** The agent's landing page: where to find its API while the full dashboard is not served. */
final class IndexPage {

    static final String TEXT = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>CampusEdge agent</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
            <h1>CampusEdge agent</h1>
            <ul>
            <li><a href="/api/health">/api/health</a> &mdash; readers, journal, sync status (JSON)</li>
            <li><a href="/api/events?limit=50">/api/events</a> &mdash; recent events; filters: stream, type, room, since, limit</li>
            <li><a href="/metrics">/metrics</a> &mdash; Prometheus metrics</li>
            </ul>
            </body></html>
            """;

    private IndexPage() {
    }
}
