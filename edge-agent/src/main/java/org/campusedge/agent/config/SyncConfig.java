package org.campusedge.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The uplink to the city data center.
 *
 * @param url          base URL of the data center, e.g. {@code https://dc.edu.example:8443}; empty disables sync
 * @param token        this device's bearer token
 * @param batchSize    events per upload
 * @param pollInterval how often to look for new events when idle
 * @param minBackoff   first retry delay after a failure
 * @param maxBackoff   longest retry delay
 * @param timeout      HTTP request timeout
 */
public record SyncConfig(Optional<URI> url, String token, int batchSize, Duration pollInterval,
                         Duration minBackoff, Duration maxBackoff, Duration timeout) {

    public boolean enabled() {
        return url.isPresent();
    }
}
