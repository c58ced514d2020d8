package org.campusedge.sync.wire;

import java.util.List;
import java.util.Objects;

/**
 * Every gap the center recorded for one box, oldest first per stream, as answered by
 * {@code GET /v1/devices/{id}/gaps}. Ranges are what the center is missing: a declared gap that
 * overlapped events it already held is recorded without them.
 *
 * @param deviceId the box
 * @param gaps     the recorded gaps
 */
public record DeclaredGaps(String deviceId, List<GapDeclaration> gaps) {
    public DeclaredGaps {
        Objects.requireNonNull(deviceId, "deviceId");
        gaps = List.copyOf(gaps == null ? List.of() : gaps);
    }

    /** Events the center knows are lost for {@code stream}. */
    public long lost(String stream) {
        return gaps.stream().filter(g -> g.stream().equals(stream)).mapToLong(GapDeclaration::count).sum();
    }
}
