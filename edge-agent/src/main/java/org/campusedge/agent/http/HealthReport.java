package org.campusedge.agent.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code /api/health} answers.
 *
 * @param status {@code ok}, {@code degraded} (a reader offline or alarmed, sync failing, broker lost) or {@code down}
 * @param mqtt    MQTT sensor ingest counters; null when no sensors are configured
 * @param storage the journal's size against its budget, retention deletions, gaps and aggregation
 * @param downlink the permissions, schedules and rules from the data center: version in force, fetches
 * @param timeZone the school's time zone (IANA id), in which the dashboard shows times
 * @param sensors  every sensor the rooms have heard from, and whether it is online
 * @param disk     the file system holding the journal
 * @param broker   the embedded MQTT broker; null when it is not running
 */
public record HealthReport(String status, String device, String school, String version, Instant startedAt,
                           long uptimeSeconds, List<ReaderHealth> readers, JournalHealth journal, SyncHealth sync,
                           DoorHealth doors, org.campusedge.agent.sensors.MqttIngestStats mqtt,
                           org.campusedge.agent.journal.StorageStats storage, DownlinkHealth downlink, String timeZone,
                           List<SensorHealth> sensors, DiskHealth disk, BrokerHealth broker) {

    /**
     * One sensor as the live room state knows it.
     *
     * @param online   from its availability topic; null when it has none (then {@code lastSeen} tells)
     * @param lastSeen its latest reading or availability message
     */
    public record SensorHealth(String id, String room, Boolean online, Instant lastSeen) {
    }

    /**
     * The file system of the journal, so a page can set the journal's size against what is left.
     *
     * @param freeBytes  usable by the agent
     * @param totalBytes the file system's size
     */
    public record DiskHealth(String path, long freeBytes, long totalBytes) {
    }

    /**
     * The embedded MQTT broker.
     *
     * @param connections clients connected now
     * @param messagesIn  PUBLISH packets received since start
     */
    public record BrokerHealth(int connections, long messagesIn) {
    }

    /** One reader's link and counters. */
    public record ReaderHealth(String id, String room, String door, String protocol, String port, boolean online,
                               String detail, Instant since, long frames, long cardReads, long duplicates,
                               long checksumErrors, long droppedBytes, long resyncs, long reconnects, long timeouts,
                               long naks, java.util.Set<String> alerts) {
    }

    /** The journal's writer and marks. */
    /**
     * The journal and the sync lag.
     *
     * @param pending    events per stream the data center has not acknowledged
     * @param lagSeconds per stream, how old the oldest unacknowledged event is (0 when nothing is pending)
     */
    public record JournalHealth(String path, long commits, long events, long failedCommits, long largestBatch,
                                int queued, Map<String, Long> lastSeq, Map<String, Long> pending,
                                Map<String, Long> lagSeconds) {
    }

    /** The uplink to the data center. */
    public record SyncHealth(boolean enabled, String target, Map<String, Long> acked, long batchesSent,
                             long eventsSent, long failures, String lastError, Instant lastSuccess) {
    }

    /**
     * The downlink.
     *
     * @param enabled     whether this box fetches from the data center ({@code sync.downlink})
     * @param version     the downlink version in force (0: none applied yet, the YAML and CSV only)
     * @param applied     deltas and snapshots applied since start
     * @param failures    fetches that failed (network, data center)
     * @param rejected    deltas refused whole (an item this box cannot use)
     * @param lastSuccess the last successful fetch, or null
     * @param lastError   the last failure, or null
     */
    public record DownlinkHealth(boolean enabled, long version, long applied, long failures, long rejected,
                                 Instant lastSuccess, String lastError) {
    }

    /** Decisions at the doors. */
    public record DoorHealth(long granted, long denied, long journalFailures, long decisionP99Micros) {
    }
}
