package org.campusedge.sync.center;

import java.util.Optional;

/** Who may talk to the data center. Implementations are thread-safe. */
public interface DeviceRegistry {

    /** The device whose token this is, or empty if none. */
    Optional<Device> authenticate(String bearerToken);

    /** Number of devices known. */
    int size();
}
