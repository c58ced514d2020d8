package org.campusedge.sync.center;

import java.time.Instant;
import java.util.Optional;

/** Who may talk to the data center. Implementations are thread-safe. */
public interface DeviceRegistry {

    /** The device whose token this is, revoked or not, or empty if none. */
    Optional<Device> authenticate(String bearerToken);

    /** Number of devices that may upload (not revoked). */
    int size();

    /** Notes that {@code device} made an authenticated request; registries that keep no history ignore it. */
    default void contacted(Device device, Instant at) {
    }
}
