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
 * @param downlink     fetching permissions, rooms, schedules, holidays and alarm rules from the center
 */
public record SyncConfig(Optional<URI> url, String token, int batchSize, Duration pollInterval,
                         Duration minBackoff, Duration maxBackoff, Duration timeout, Optional<Path> caFile, int gzipMinBytes,
                         Downlink downlink) {

    /**
     * The {@code sync.downlink} section.
     *
     * @param enabled  whether the box fetches its downlink (needs {@code sync.url})
     * @param longPoll how long the center may hold a fetch open for a change (long-poll); zero polls plainly
     * @param interval the pause between two fetches (after a long-poll that ended without a change too)
     */
    public record Downlink(boolean enabled, Duration longPoll, Duration interval) {
        public static final Downlink DEFAULTS = new Downlink(true, Duration.ofSeconds(25), Duration.ofSeconds(5));
    }

    public boolean enabled() {
        return url.isPresent();
    }

    /** Whether the downlink runs: sync is on and {@code sync.downlink.enabled} not false. */
    public boolean downlinkEnabled() {
        return enabled() && downlink.enabled();
    }
}
