package org.campusedge.sync.center.query;

/**
 * Counters of the city-wide queries.
 *
 * @param answered      requests answered 200
 * @param badRequests   refused for their parameters (400)
 * @param unauthorized  without a reader token (401)
 * @param forbidden     with a device's token (403)
 * @param storeFailures the store failed (503)
 */
public record QueryStats(long answered, long badRequests, long unauthorized, long forbidden, long storeFailures) {
}
