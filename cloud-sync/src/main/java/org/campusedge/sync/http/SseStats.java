package org.campusedge.sync.http;

/**
 * Server-sent-event counters of an {@link HttpServer} since it was created.
 *
 * @param open            streams open now
 * @param opened          streams opened
 * @param refused         subscriptions answered 503 because the hub was full or closed
 * @param eventsSent      events written to clients (one per event per client)
 * @param coalesced       events replaced, unsent, by a newer event with the same key
 * @param slowDisconnects clients disconnected because an uncoalescable event did not fit their queue
 * @param leasesEnded     streams ended because the client's right to them ran out (logged out, session expired)
 */
public record SseStats(long open, long opened, long refused, long eventsSent, long coalesced, long slowDisconnects,
                       long leasesEnded) {

    /** All zero. */
    public static final SseStats NONE = new SseStats(0, 0, 0, 0, 0, 0, 0);
}
