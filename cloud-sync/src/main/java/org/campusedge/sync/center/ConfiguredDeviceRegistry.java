package org.campusedge.sync.center;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The devices listed in the data center's configuration. A presented token is hashed once and
 * compared with every device's hash in constant time, without stopping at a match, so timing
 * reveals neither the token nor which device it belongs to.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfiguredDeviceRegistry implements DeviceRegistry {

    private final List<DataCenterConfig.DeviceEntry> devices;

    public ConfiguredDeviceRegistry(List<DataCenterConfig.DeviceEntry> devices) {
        Set<String> ids = new HashSet<>();
        for (DataCenterConfig.DeviceEntry d : devices) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("device " + d.id() + " is listed twice");
            }
        }
        this.devices = List.copyOf(devices);
    }

    @Override
    public Optional<Device> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = TokenHash.sha256(bearerToken);
        DataCenterConfig.DeviceEntry found = null;
        for (DataCenterConfig.DeviceEntry d : devices) {
            if (d.token().matchesDigest(digest) && found == null) {
                found = d;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Device(found.id(), found.school()));
    }

    @Override
    public int size() {
        return devices.size();
    }
}
