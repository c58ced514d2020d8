package org.campusedge.agent;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.SyncConfig;
import org.campusedge.agent.http.HealthReport;
import org.campusedge.agent.http.PrometheusText;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.privacy.PseudonymisingOutbox;
import org.campusedge.sync.uplink.Outbox;
import org.campusedge.sync.uplink.TrustedCertificates;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.uplink.UplinkStats;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's side of the uplink: builds the {@link Uplink} over the journal's outbox from the
 * sync configuration, and reports its state for health and metrics.
 */
public final class AgentUplink implements AutoCloseable {

    /** Failing longer than this turns the agent's health to degraded. */
    private static final Duration UNHEALTHY_AFTER = Duration.ofMinutes(5);

    private final SyncConfig config;
    private final UplinkClient client;
    private final Uplink uplink;
    private final Instant createdAt = Instant.now();

    private AgentUplink(SyncConfig config, UplinkClient client, Uplink uplink) {
        this.config = config;
        this.client = client;
        this.uplink = uplink;
    }

    /** An uplink when {@code sync.url} is set; empty when the box runs without sync. */
    static Optional<AgentUplink> create(AgentConfig agent, Journal journal) {
        SyncConfig s = agent.sync();
        if (s.url().isEmpty()) {
            return Optional.empty();
        }
        UplinkClient client = new UplinkClient(s.url().get(), s.token(), s.timeout(),
                s.caFile().map(TrustedCertificates::trustOnly), s.gzipMinBytes());
        UplinkOptions options = UplinkOptions.defaults(agent.deviceId()).withBatchSize(s.batchSize())
                .withPollInterval(s.pollInterval()).withBackoff(s.minBackoff(), s.maxBackoff());
        // What leaves the box may carry pseudonyms instead of card numbers; the journal keeps the real ones.
        Outbox outbox = agent.privacy().<Outbox>map(p -> new PseudonymisingOutbox(journal, p)).orElse(journal);
        return Optional.of(new AgentUplink(s, client, new Uplink(outbox, client, options)));
    }

    void start() {
        uplink.start();
    }

    /** Tells the uplink new events are committed. */
    void wakeUp() {
        uplink.wakeUp();
    }

    public Uplink uplink() {
        return uplink;
    }

    /** Healthy unless failures have gone on for a while without any success. */
    boolean healthy() {
        UplinkStats s = uplink.stats();
        if (s.currentBackoff().isZero()) {
            return true;
        }
        Instant since = s.lastSuccess().orElse(createdAt);
        return Duration.between(since, Instant.now()).compareTo(UNHEALTHY_AFTER) < 0;
    }

    HealthReport.SyncHealth health() {
        UplinkStats s = uplink.stats();
        return new HealthReport.SyncHealth(true, config.url().map(Object::toString).orElse(null), s.ackedSeq(),
                s.batchesSent(), s.eventsSent(), s.totalFailures(), s.lastError().orElse(null), s.lastSuccess().orElse(null));
    }

    void metrics(PrometheusText p) {
        UplinkStats s = uplink.stats();
        p.metric("campus_edge_sync_batches_total", "counter", "Batches the data center acknowledged.", s.batchesSent());
        p.metric("campus_edge_sync_events_total", "counter", "Events sent in acknowledged batches.", s.eventsSent());
        p.family("campus_edge_sync_failures_total", "counter", "Failed uploads by reason.");
        for (UplinkException.Reason r : UplinkException.Reason.values()) {
            p.sample("campus_edge_sync_failures_total", s.failures(r), "reason", r.name().toLowerCase(Locale.ROOT));
        }
        p.family("campus_edge_sync_acked_seq", "gauge", "The data center's acknowledged mark per stream.");
        for (Map.Entry<String, Long> e : s.ackedSeq().entrySet()) {
            p.sample("campus_edge_sync_acked_seq", e.getValue(), "stream", e.getKey());
        }
        p.metric("campus_edge_sync_backoff_seconds", "gauge", "Current retry delay; 0 while healthy.", s.currentBackoff().toMillis() / 1000.0);
        p.metric("campus_edge_sync_last_success_timestamp_seconds", "gauge", "When the data center last acknowledged.", s.lastSuccess().map(Instant::getEpochSecond).orElse(0L));
    }

    @Override
    public void close() {
        uplink.close();
        client.close();
    }
}
