package org.campusedge.sync.center;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A box the data center knows.
 *
 * @param id        the device id, as in {@code IngestBatch.deviceId}
 * @param school    the school it stands in, for reports
 * @param revokedAt when its token was revoked; a revoked device is refused with 403
 */
public record Device(String id, String school, Optional<Instant> revokedAt) {

    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(school, "school");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** A device in good standing. */
    public Device(String id, String school) {
        this(id, school, Optional.empty());
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
