package org.campusedge.sync.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of what an {@link Uplink} has done since it started.
 *
 * @param batchesSent    batches the center acknowledged
 * @param eventsSent     events in those batches (duplicates at the center included)
 * @param ackedSeq       the center's mark by stream, as last learnt
 * @param failures       failed requests by reason
 * @param outboxErrors   failures reading or acknowledging the local outbox
 * @param lastError      the last failure, for a status page
 * @param lastSuccess    when the center last acknowledged a batch or answered the marks
 * @param currentBackoff the retry delay now in force; zero while healthy
 * @param gapsDeclared   gaps (events lost on the box) declared to the center
 * @param eventsDeclaredLost events in those gaps
 */
public record UplinkStats(long batchesSent, long eventsSent, Map<String, Long> ackedSeq,
                          Map<UplinkException.Reason, Long> failures, long outboxErrors,
                          Optional<String> lastError, Optional<Instant> lastSuccess, Duration currentBackoff,
                          long gapsDeclared, long eventsDeclaredLost) {

    public UplinkStats {
        ackedSeq = Map.copyOf(ackedSeq);
        failures = Map.copyOf(failures);
    }

    /** Failed requests of one kind. */
    public long failures(UplinkException.Reason reason) {
        return failures.getOrDefault(reason, 0L);
    }

    /** All failed requests. */
    public long totalFailures() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }
}
