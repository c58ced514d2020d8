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

    HttpServerStats snapshot() {
        return new HttpServerStats(requests.sum(), status2xx.sum(), status4xx.sum(), status5xx.sum(),
                malformed.sum(), oversize.sum());
    }
}
