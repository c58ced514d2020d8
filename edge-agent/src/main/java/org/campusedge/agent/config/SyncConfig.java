package org.campusedge.agent.config;

import java.net.URI;
import java.nio.file.Path;
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
 * @param caFile       PEM file of the CA(s) to trust for an {@code https://} url; empty: the JDK's CAs
 * @param gzipMinBytes batches of at least this many bytes of JSON are sent gzip-compressed; 0 compresses all
 */
public record SyncConfig(Optional<URI> url, String token, int batchSize, Duration pollInterval,
                         Duration minBackoff, Duration maxBackoff, Duration timeout, Optional<Path> caFile, int gzipMinBytes) {

    public boolean enabled() {
        return url.isPresent();
    }
}
