package org.campusedge.sync.http;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link HttpServerStats}. Thread-safe: updated from event loops and workers. */
final class ServerCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder status2xx = new LongAdder();
    private final LongAdder status4xx = new LongAdder();
    private final LongAdder status5xx = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder oversize = new LongAdder();
    private final LongAdder streamsOpened = new LongAdder();
    private final LongAdder streamsClosed = new LongAdder();
    private final LongAdder streamsRefused = new LongAdder();
    private final LongAdder eventsSent = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder slowDisconnects = new LongAdder();
    private final LongAdder leasesEnded = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsFailures = new LongAdder();
    private final LongAdder compressedRequests = new LongAdder();
    private final LongAdder compressedResponses = new LongAdder();

    void replied(int status) {
        requests.increment();
        if (status >= 200 && status < 300) {
            status2xx.increment();
        } else if (status >= 400 && status < 500) {
            status4xx.increment();
        } else if (status >= 500) {
            status5xx.increment();
        }
    }

    void malformed() {
        malformed.increment();
    }

    void oversize() {
        oversize.increment();
    }

    void streamOpened() {
        streamsOpened.increment();
    }

    void streamClosed() {
        streamsClosed.increment();
    }

    void streamRefused() {
        streamsRefused.increment();
    }

    void eventsSent(int n) {
        eventsSent.add(n);
    }

    void coalesced() {
        coalesced.increment();
    }

    void slowDisconnect() {
        slowDisconnects.increment();
    }

    void leaseEnded() {
        leasesEnded.increment();
    }

    void tlsHandshake(boolean success) {
        (success ? tlsHandshakes : tlsFailures).increment();
    }

    void compressedRequest() {
        compressedRequests.increment();
    }

    void compressedResponse() {
        compressedResponses.increment();
    }

    HttpServerStats snapshot() {
        // Closed before opened: a stream closing between the two reads never shows as -1 open.
        long closed = streamsClosed.sum();
        long opened = streamsOpened.sum();
        SseStats streams = new SseStats(opened - closed, opened, streamsRefused.sum(),
                eventsSent.sum(), coalesced.sum(), slowDisconnects.sum(), leasesEnded.sum());
        return new HttpServerStats(requests.sum(), status2xx.sum(), status4xx.sum(), status5xx.sum(),
                malformed.sum(), oversize.sum(), streams, new TransportStats(tlsHandshakes.sum(), tlsFailures.sum(),
                compressedRequests.sum(), compressedResponses.sum()));
    }
}
