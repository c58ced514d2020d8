package org.campusedge.agent;

import org.campusedge.agent.broker.ConnectionRefusal;
import org.campusedge.agent.broker.DropReason;
import org.campusedge.agent.broker.EmbeddedBroker;
import org.campusedge.agent.broker.EmbeddedBrokerStats;
import org.campusedge.agent.broker.ProtocolError;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.door.DoorController;
import org.campusedge.agent.door.LatencyHistogram;
import org.campusedge.agent.http.HealthReport;
import org.campusedge.agent.http.PrometheusText;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalWriterStats;
import org.campusedge.agent.journal.StorageStats;
import org.campusedge.agent.rooms.LiveRooms;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects the state of every component into the health report and the Prometheus metrics.
 * Reads only snapshots and atomics: safe from the HTTP worker threads.
 */
final class AgentStatus {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentStatus.class);
    private static final org.campusedge.sync.runtime.LogThrottle DISK_LOG =
            new org.campusedge.sync.runtime.LogThrottle(Duration.ofMinutes(10));

    private final AgentConfig config;
    private final Instant startedAt;
    private final Clock clock;
    private final List<Agent.ReaderHandle> readers;
    private final Journal journal;
    private final DoorController.DoorStats doors;
    private final Optional<AgentUplink> uplink;
    private final Optional<AgentSensors> sensors;
    private final Supplier<StorageStats> storage;
    private final LiveRooms rooms;
    private final Optional<EmbeddedBroker> broker;
    private final Supplier<HealthReport.DownlinkHealth> downlink;

    AgentStatus(AgentConfig config, Instant startedAt, Clock clock, List<Agent.ReaderHandle> readers, Journal journal,
                DoorController.DoorStats doors, Optional<AgentUplink> uplink, Optional<AgentSensors> sensors,
                Supplier<StorageStats> storage, LiveRooms rooms, Optional<EmbeddedBroker> broker,
                Supplier<HealthReport.DownlinkHealth> downlink) {
        this.downlink = downlink;
        this.storage = storage;
        this.rooms = rooms;
        this.broker = broker;
        this.config = config;
        this.startedAt = startedAt;
        this.clock = clock;
        this.readers = readers;
        this.journal = journal;
        this.doors = doors;
        this.uplink = uplink;
        this.sensors = sensors;
    }

    HealthReport health() {
        List<HealthReport.ReaderHealth> rs = new ArrayList<>();
        boolean allOnline = true;
        for (Agent.ReaderHandle h : readers) {
            ReaderCounters c = h.reader().counters();
            Optional<ReaderStatus> st = doors.status(h.config().id());
            java.util.Set<String> alerts = doors.activeAlerts(h.config().id());
            allOnline &= c.online() && alerts.isEmpty();
            rs.add(new HealthReport.ReaderHealth(h.config().id(), h.config().room(), h.config().door(),
                    h.config().protocol().wireName(), h.config().port(), c.online(),
                    st.map(ReaderStatus::detail).orElse(c.online() ? "online" : "not connected yet"),
                    st.map(ReaderStatus::at).orElse(null), c.frames(), c.cardReads(), c.duplicates(), c.checksumErrors(),
                    c.droppedBytes(), c.resyncs(), c.reconnects(), c.timeouts(), c.naks(), alerts));
        }
        JournalWriterStats w = journal.writerStats();
        Map<String, Long> last = new LinkedHashMap<>();
        Map<String, Long> pending = new LinkedHashMap<>();
        Map<EventStream, Long> unacked = journal.pending();
        for (EventStream s : EventStream.values()) {
            last.put(s.wireName(), journal.lastSeq(s.wireName()));
            pending.put(s.wireName(), unacked.get(s));
        }
        HealthReport.JournalHealth jh = new HealthReport.JournalHealth(journal.path().toString(), w.commits(), w.events(),
                w.failedCommits(), w.largestBatch(), w.queued(), last, pending, lagSeconds());
        HealthReport.SyncHealth sh = uplink.map(AgentUplink::health).orElse(new HealthReport.SyncHealth(false, null,
                Map.of(), 0, 0, 0, null, null));
        boolean syncOk = uplink.map(AgentUplink::healthy).orElse(true);
        boolean brokerOk = sensors.map(s -> s.stats().connected()).orElse(true);
        String status = allOnline && syncOk && brokerOk && w.failedCommits() == 0 ? "ok" : "degraded";
        Instant now = clock.instant();
        return new HealthReport(status, config.deviceId(), config.school(), Version.get(), startedAt,
                Duration.between(startedAt, now).toSeconds(), rs, jh,
                sh, new HealthReport.DoorHealth(doors.granted(), doors.denied(), doors.journalFailures(),
                doors.decisionLatency().quantileUpperBoundNanos(0.99) / 1_000), sensors.map(AgentSensors::stats).orElse(null),
                storage.get(), downlink.get(), config.zone().getId(), sensorHealth(), disk(),
                broker.map(b -> new HealthReport.BrokerHealth(b.stats().connectionsOpen(), b.stats().messagesIn())).orElse(null));
    }

    private List<HealthReport.SensorHealth> sensorHealth() {
        List<HealthReport.SensorHealth> out = new ArrayList<>();
        for (org.campusedge.agent.rooms.RoomView room : rooms.state().views()) {
            room.sensors().forEach(s -> out.add(new HealthReport.SensorHealth(s.id(), room.id(), s.online(), s.lastSeen())));
        }
        return out;
    }

    /** Free and total space where the journal lives; zeros if the file system will not say. */
    private HealthReport.DiskHealth disk() {
        java.nio.file.Path dir = journal.path().toAbsolutePath().getParent();
        try {
            java.nio.file.FileStore store = java.nio.file.Files.getFileStore(dir);
            return new HealthReport.DiskHealth(dir.toString(), store.getUsableSpace(), store.getTotalSpace());
        } catch (java.io.IOException e) {
            DISK_LOG.acquire().ifPresent(n -> LOG.warn("health: cannot read the file system of {}: {} ({} similar suppressed)",
                    dir, e.getMessage(), n));
            return new HealthReport.DiskHealth(String.valueOf(dir), 0, 0);
        }
    }

    /** Per stream, the age in seconds of the oldest event the data center has not acknowledged. */
    private Map<String, Long> lagSeconds() {
        Instant now = clock.instant();
        Map<String, Long> lag = new LinkedHashMap<>();
        for (EventStream s : EventStream.values()) {
            lag.put(s.wireName(), journal.oldestPending(s).map(t -> Math.max(0, Duration.between(t, now).toSeconds())).orElse(0L));
        }
        return lag;
    }

    String metrics() {
        PrometheusText p = new PrometheusText();
        p.metric("campus_edge_up_seconds", "gauge", "Seconds since the agent started.", Duration.between(startedAt, clock.instant()).toSeconds());
        p.family("campus_edge_taps_total", "counter", "Card taps decided, by outcome.")
                .sample("campus_edge_taps_total", doors.granted(), "outcome", "granted")
                .sample("campus_edge_taps_total", doors.denied(), "outcome", "denied");
        decisionHistogram(p, doors.decisionLatency());
        p.metric("campus_edge_journal_failures_total", "counter", "Events decided but not journaled.", doors.journalFailures());
        readerMetrics(p);
        JournalWriterStats w = journal.writerStats();
        p.metric("campus_edge_journal_commits_total", "counter", "Journal transactions committed.", w.commits());
        p.metric("campus_edge_journal_events_total", "counter", "Events committed to the journal.", w.events());
        p.metric("campus_edge_journal_failed_commits_total", "counter", "Journal transactions that failed after retries.", w.failedCommits());
        p.metric("campus_edge_journal_queue", "gauge", "Operations waiting for the journal writer.", w.queued());
        p.family("campus_edge_journal_last_seq", "gauge", "Highest committed sequence number per stream.");
        for (EventStream s : EventStream.values()) {
            p.sample("campus_edge_journal_last_seq", journal.lastSeq(s.wireName()), "stream", s.wireName());
        }
        p.family("campus_edge_sync_pending_events", "gauge", "Events not yet acknowledged by the data center.");
        Map<EventStream, Long> unacked = journal.pending();
        for (EventStream s : EventStream.values()) {
            p.sample("campus_edge_sync_pending_events", unacked.get(s), "stream", s.wireName());
        }
        HealthReport.DownlinkHealth d = downlink.get();
        p.metric("campus_edge_downlink_version", "gauge", "Downlink version in force (permissions, schedules, rules from the data center).", d.version());
        p.metric("campus_edge_downlink_applied_total", "counter", "Downlink deltas and snapshots applied.", d.applied());
        p.metric("campus_edge_downlink_failures_total", "counter", "Downlink fetches that failed.", d.failures());
        p.metric("campus_edge_downlink_rejected_total", "counter", "Downlink deltas refused whole.", d.rejected());
        p.family("campus_edge_sync_lag_seconds", "gauge", "Age of the oldest event not yet acknowledged by the data center.");
        lagSeconds().forEach((stream, seconds) -> p.sample("campus_edge_sync_lag_seconds", seconds, "stream", stream));
        storageMetrics(p, storage.get());
        uplink.ifPresent(u -> u.metrics(p));
        sensors.ifPresent(s -> s.metrics(p));
        rooms.metrics(p);
        broker.ifPresent(b -> brokerMetrics(p, b.stats()));
        return p.toString();
    }

    private static void storageMetrics(PrometheusText p, StorageStats s) {
        p.metric("campus_edge_journal_file_bytes", "gauge", "Journal files on disk (database and WAL).", s.fileBytes());
        p.metric("campus_edge_journal_used_bytes", "gauge", "Journal pages holding data, measured against the disk budget.", s.usedBytes());
        p.metric("campus_edge_journal_budget_bytes", "gauge", "The journal's disk budget.", s.budgetBytes());
        p.metric("campus_edge_journal_reclaimed_bytes_total", "counter", "Bytes returned to the file system by incremental vacuum.", s.reclaimedBytes());
        p.family("campus_edge_journal_deleted_total", "counter", "Events deleted by retention, by reason.")
                .sample("campus_edge_journal_deleted_total", s.deletedExpired(), "reason", "expired")
                .sample("campus_edge_journal_deleted_total", s.deletedBudgetAcked(), "reason", "budget_acked")
                .sample("campus_edge_journal_deleted_total", s.deletedBudgetUnacked(), "reason", "budget_unacked");
        p.family("campus_edge_journal_gaps", "gauge", "Gaps recorded (unsent events deleted), by state.")
                .sample("campus_edge_journal_gaps", s.gapsDeclared(), "state", "declared")
                .sample("campus_edge_journal_gaps", s.gaps() - s.gapsDeclared(), "state", "undeclared");
        p.metric("campus_edge_journal_lost_events", "gauge", "Events in recorded gaps.", s.eventsLost());
        p.metric("campus_edge_aggregate_minutes_total", "counter", "Minutes of sensor readings summarised.", s.minutesAggregated());
        p.metric("campus_edge_aggregates_total", "counter", "Aggregate events written.", s.aggregatesWritten());
        p.metric("campus_edge_aggregate_late_readings_total", "counter", "Readings that arrived after their minute was summarised.", s.lateReadings());
    }

    private static void brokerMetrics(PrometheusText p, EmbeddedBrokerStats s) {
        p.metric("campus_edge_broker_connections", "gauge", "Clients connected to the embedded MQTT broker.", s.connectionsOpen());
        p.metric("campus_edge_broker_messages_in_total", "counter", "PUBLISH packets the embedded broker received.", s.messagesIn());
        p.metric("campus_edge_broker_messages_out_total", "counter", "PUBLISH packets the embedded broker sent.", s.messagesOut());
        p.metric("campus_edge_broker_retained", "gauge", "Retained messages held.", s.retainedMessages());
        p.family("campus_edge_broker_dropped_total", "counter", "Messages the embedded broker dropped, by reason.");
        for (DropReason r : DropReason.values()) {
            p.sample("campus_edge_broker_dropped_total", s.dropped(r), "reason", r.name().toLowerCase(java.util.Locale.ROOT));
        }
        p.family("campus_edge_broker_protocol_errors_total", "counter", "Connections closed for protocol errors, by reason.");
        for (ProtocolError r : ProtocolError.values()) {
            p.sample("campus_edge_broker_protocol_errors_total", s.protocolErrors(r), "reason",
                    r.name().toLowerCase(java.util.Locale.ROOT));
        }
        p.family("campus_edge_broker_refused_total", "counter", "Connections refused, by reason.");
        for (ConnectionRefusal r : ConnectionRefusal.values()) {
            p.sample("campus_edge_broker_refused_total", s.refused(r), "reason", r.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void decisionHistogram(PrometheusText p, LatencyHistogram h) {
        p.family("campus_edge_decision_seconds", "histogram", "Time from card read to door feedback issued.");
        long cumulative = 0;
        for (int i = 0; i < LatencyHistogram.buckets(); i++) {
            cumulative += h.bucketCount(i);
            if (i < 10 || i % 2 != 0) {
                continue; // buckets from ~1 us, every factor of four
            }
            p.sample("campus_edge_decision_seconds_bucket", cumulative, "le",
                    Double.toString(LatencyHistogram.upperBoundNanos(i) / 1e9));
        }
        p.sample("campus_edge_decision_seconds_bucket", h.count(), "le", "+Inf");
        p.sample("campus_edge_decision_seconds_sum", h.sumNanos() / 1e9);
        p.sample("campus_edge_decision_seconds_count", h.count());
    }

    /** Reader families from one snapshot of each reader's counters (a snapshot costs a bus query for OSDP). */
    private void readerMetrics(PrometheusText p) {
        Map<String, ReaderCounters> snapshot = new LinkedHashMap<>();
        readers.forEach(h -> snapshot.put(h.config().id(), h.reader().counters()));
        readerFamily(p, snapshot, "campus_edge_reader_online", "gauge", "1 when the reader's link is up.",
                c -> c.online() ? 1 : 0);
        readerFamily(p, snapshot, "campus_edge_reader_frames_total", "counter", "Well-formed frames decoded.",
                ReaderCounters::frames);
        readerFamily(p, snapshot, "campus_edge_reader_checksum_errors_total", "counter", "Frames dropped for a bad checksum.",
                ReaderCounters::checksumErrors);
        readerFamily(p, snapshot, "campus_edge_reader_dropped_bytes_total", "counter",
                "Garbage bytes discarded while resynchronising.", ReaderCounters::droppedBytes);
        readerFamily(p, snapshot, "campus_edge_reader_timeouts_total", "counter", "Commands the reader did not answer in time.",
                ReaderCounters::timeouts);
        readerFamily(p, snapshot, "campus_edge_reader_naks_total", "counter", "Commands the reader refused (OSDP NAK).",
                ReaderCounters::naks);
        readerFamily(p, snapshot, "campus_edge_reader_resyncs_total", "counter", "Times a decoder abandoned a partial frame.",
                ReaderCounters::resyncs);
        readerFamily(p, snapshot, "campus_edge_reader_reconnects_total", "counter", "Times the reader's link was reopened.",
                ReaderCounters::reconnects);
    }

    private static void readerFamily(PrometheusText p, Map<String, ReaderCounters> snapshot, String name, String type,
                                     String help, java.util.function.ToDoubleFunction<ReaderCounters> value) {
        p.family(name, type, help);
        snapshot.forEach((id, c) -> p.sample(name, value.applyAsDouble(c), "reader", id));
    }
}
