package org.campusedge.sync.center;

import java.time.Instant;

/**
 * An event as the data center holds it.
 *
 * @param deviceId    the box that sent it
 * @param stream      its stream
 * @param seq         its seq in the stream
 * @param type        event type
 * @param occurredAt  when it happened, by the box's clock
 * @param receivedAt  when the center first stored it
 * @param payloadJson the payload, a JSON object
 */
public record StoredEvent(String deviceId, String stream, long seq, String type, Instant occurredAt,
                          Instant receivedAt, String payloadJson) {
}
