package org.campusedge.sync.wire;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The data center's acknowledged high-water mark of each stream of one box, as answered by
 * {@code GET /v1/devices/{id}/streams}. A stream the center never saw is absent (mark 0).
 *
 * @param deviceId the box
 * @param ackedSeq acknowledged seq by stream name
 */
public record StreamMarks(String deviceId, Map<String, Long> ackedSeq) {

    public StreamMarks {
        Objects.requireNonNull(deviceId, "deviceId");
        ackedSeq = Collections.unmodifiableMap(new TreeMap<>(ackedSeq == null ? Map.of() : ackedSeq));
    }

    /** The mark of {@code stream}; 0 if the center holds nothing of it. */
    public long acked(String stream) {
        return ackedSeq.getOrDefault(stream, 0L);
    }
}
