package org.campusedge.agent.downlink;

import org.campusedge.agent.config.SyncConfig;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.uplink.Backoff;
import org.campusedge.sync.uplink.TrustedCertificates;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException;
import org.campusedge.sync.wire.Backlog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Fetches the box's downlink from the data center on its own thread, {@code downlink-client}:
 * asks for what changed after the version in force (which tells the center the version the box
 * runs), long-polling for {@code sync.downlink.wait}, applies what comes through
 * {@link BoxDownlink#apply}, and fetches again at once after a change (reporting the new
 * version) or after {@code sync.downlink.interval}. Failures back off with jitter between
 * {@code sync.min-backoff} and {@code sync.max-backoff}; a box that was away long gets a snapshot.
 */
public final class DownlinkClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DownlinkClient.class);

    /** Counters for health and metrics. */
    public record Stats(long version, long applied, long failures, long rejected, Optional<Instant> lastSuccess,
                        Optional<String> lastError) {
    }

    private final String deviceId;
    private final SyncConfig.Downlink settings;
    private final UplinkClient client;
    private final BoxDownlink box;
    private final Backoff backoff;
    private final Thread thread;
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private final LongAdder applied = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile boolean closed;

    public DownlinkClient(String deviceId, SyncConfig sync, BoxDownlink box) {
        this.deviceId = deviceId;
        this.settings = sync.downlink();
        this.client = new UplinkClient(sync.url().orElseThrow(), sync.token(), sync.timeout(),
                sync.caFile().map(TrustedCertificates::trustOnly), sync.gzipMinBytes());
        this.box = box;
        this.backoff = new Backoff(sync.minBackoff(), sync.maxBackoff(), new Random());
        this.thread = new Thread(this::run, "downlink-client");
        this.thread.setDaemon(true);
    }

    /** Makes every fetch also report the box's backlog to the center (the uplink's, see {@code Uplink#backlog}). */
    public void reportBacklog(Supplier<Optional<Backlog>> source) {
        client.reportBacklog(source);
    }

    public void start() {
        thread.start();
    }

    public Stats stats() {
        return new Stats(box.version(), applied.sum(), failures.sum(), rejected.sum(), Optional.ofNullable(lastSuccess),
                Optional.ofNullable(lastError));
    }

    private void run() {
        while (!closed) {
            Duration pause;
            try {
                long running = box.version();
                DownlinkDelta delta = client.fetchDownlink(deviceId, running, settings.longPoll());
                lastSuccess = Instant.now();
                backoff.reset();
                if (delta.empty() && delta.version() == running) {
                    pause = settings.interval();
                } else {
                    long now = box.apply(delta);
                    applied.increment();
                    LOG.info("downlink: version {} applied ({} {} change(s)), was {}", now, delta.snapshot() ? "snapshot of" : "delta of",
                            delta.changes().size(), running);
                    pause = Duration.ZERO;
                }
            } catch (InterruptedException e) {
                return;
            } catch (UplinkException | DownlinkApplyException e) {
                pause = failed(e.getMessage());
            } catch (DownlinkAccess.BadItemException e) {
                rejected.increment();
                pause = failed("the center sent an item this box cannot use, version not applied: " + e.getMessage());
            } catch (RuntimeException e) {
                pause = failed(e.toString());
            }
            if (!pause.isZero() && !sleep(pause)) {
                return;
            }
        }
    }

    private Duration failed(String message) {
        failures.increment();
        lastError = message;
        Duration pause = backoff.next();
        failureLog.acquire().ifPresent(n -> LOG.warn("downlink: {}; retrying in {} ms ({} similar suppressed)", message,
                pause.toMillis(), n));
        return pause;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        client.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
