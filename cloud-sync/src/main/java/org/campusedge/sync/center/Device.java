package org.campusedge.sync.center;

/**
 * A box the data center knows.
 *
 * @param id     the device id, as in {@code IngestBatch.deviceId}
 * @param school the school it stands in, for reports
 */
public record Device(String id, String school) {
}
