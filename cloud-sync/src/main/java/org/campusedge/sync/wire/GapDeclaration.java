package org.campusedge.sync.wire;

import java.time.Instant;
import java.util.Objects;

/**
 * A box's declaration that it lost {@code fromSeq..toSeq} of one stream before sending them, as
 * posted to {@code POST /v1/gaps}, and the center's record of it in {@code GET /v1/devices/{id}/gaps}.
 * The center answers with an {@link IngestAck} whose mark has moved past the gap.
 *
 * @param deviceId the box
 * @param stream   the stream
 * @param fromSeq  first lost seq
 * @param toSeq    last lost seq
 * @param count    events lost, {@code toSeq - fromSeq + 1}
 * @param reason   why, e.g. {@code disk_budget}
 * @param lostAt   when the box deleted them
 */
public record GapDeclaration(String deviceId, String stream, long fromSeq, long toSeq, long count, String reason,
                             Instant lostAt) {

    public GapDeclaration {
        if (deviceId == null || !IngestBatch.DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("deviceId must match " + IngestBatch.DEVICE_ID + ", got " + deviceId);
        }
        if (stream == null || !IngestBatch.STREAM_NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream must match " + IngestBatch.STREAM_NAME + ", got " + stream);
        }
        Objects.requireNonNull(lostAt, "lostAt");
        new WireGap(fromSeq, toSeq, count, reason, lostAt); // validates the range, count and reason
    }

    public static GapDeclaration of(String deviceId, String stream, WireGap gap) {
        return new GapDeclaration(deviceId, stream, gap.fromSeq(), gap.toSeq(), gap.count(), gap.reason(), gap.lostAt());
    }

    public WireGap gap() {
        return new WireGap(fromSeq, toSeq, count, reason, lostAt);
    }
}
