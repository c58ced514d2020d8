package org.campusedge.sync.center;

import org.campusedge.sync.wire.Backlog;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest backlog a device reported, as the center keeps it.
 *
 * @param deviceId   the box
 * @param backlog    what it still had to send
 * @param reportedAt when the center received the report (center time)
 */
public record ReportedBacklog(String deviceId, Backlog backlog, Instant reportedAt) {

    public ReportedBacklog {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(reportedAt, "reportedAt");
    }
}
