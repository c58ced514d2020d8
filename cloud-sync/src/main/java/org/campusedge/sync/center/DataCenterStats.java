package org.campusedge.sync.center;

/**
 * Counters of a {@link DataCenter} since start.
 *
 * @param batches      batches accepted
 * @param eventsStored events stored for the first time
 * @param duplicates   events received again and ignored
 * @param gaps         batches refused because they started beyond the stream's mark
 * @param authFailures requests with a missing or unknown token
 * @param forbidden    requests for another device's data (revoked tokens not included)
 * @param badRequests  bodies that were not a valid batch
 * @param storeFailures batches the store failed to take (answered 503; the box retries)
 * @param gapsDeclared  gap declarations that recorded a loss
 * @param eventsDeclaredLost events boxes declared lost (deleted before they were sent)
 * @param revoked      requests with a revoked device's token (answered 403)
 * @param throttled    requests over their device's rate limit (answered 429)
 */
public record DataCenterStats(long batches, long eventsStored, long duplicates, long gaps,
                              long authFailures, long forbidden, long badRequests, long storeFailures,
                              long gapsDeclared, long eventsDeclaredLost, long revoked, long throttled) {
}
