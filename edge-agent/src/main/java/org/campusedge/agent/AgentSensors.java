package org.campusedge.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.http.PrometheusText;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.ReadingBody;
import org.campusedge.agent.sensors.MqttIngest;
import org.campusedge.agent.sensors.MqttIngestStats;
import org.campusedge.agent.sensors.MqttSensorConfig;
import org.campusedge.agent.sensors.RejectReason;
import org.campusedge.agent.sensors.SensorEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's side of MQTT sensor ingest: every reading goes to the journal's readings stream,
 * every sensor going online or offline to the priority stream. The sink runs on the ingest's
 * one thread and only queues journal writes.
 *
 * <p>Memory stays bounded when the journal falls behind (a slow SD card, a burst beyond what the
 * box can commit): at most {@link #MAX_IN_FLIGHT} events are handed to the journal and not yet
 * committed. Beyond that the ingest thread waits for commits; meanwhile Paho's thread keeps
 * queueing into the per-topic queues, which drop each topic's oldest message and count it — a
 * counted drop of a superseded reading rather than a heap that fills until the agent dies.
 */
final class AgentSensors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSensors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Events handed to the journal and not yet committed, at most: 32,768 readings are about
     * 12 MB of heap (entry, decoded body, JSON text), a fifth of a 64 MB agent, and 0.6 s of a
     * 55,000 msg/s flood — room for a slow fsync (with 16,384 an occasional stall of this disk cost
     * a few hundred messages at 50,000 msg/s), not for a backlog that makes the garbage collector
     * copy it over and over (with 88,000 queued a 64 MB agent spent more CPU on collecting than on
     * ingesting).
     */
    static final int MAX_IN_FLIGHT = 32_768;
    private static final long STALL_LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final MqttIngest ingest;
    private final Journal journal;
    private final LongAdder journalFailures = new LongAdder();
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final LongAdder stalls = new LongAdder();
    private final LongAdder stalledNanos = new LongAdder();
    /** Events of the batch the ingest thread is decoding; ingest thread only. */
    private final List<JournalEntry> pending = new ArrayList<>();
    /** When a stall was last logged; ingest thread only. */
    private long stallLoggedAt = System.nanoTime() - STALL_LOG_INTERVAL_NANOS;

    AgentSensors(MqttSensorConfig config, Journal journal, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
        }
        this.journal = journal;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.ingest = new MqttIngest(config, this::journal, this::flush);
    }

    void start() throws Exception {
        ingest.start();
    }

    static Optional<AgentSensors> start(Optional<MqttSensorConfig> config, Journal journal) throws Exception {
        if (config.isEmpty()) {
            return Optional.empty();
        }
        AgentSensors sensors = new AgentSensors(config.get(), journal, MAX_IN_FLIGHT);
        sensors.start();
        LOG.info("MQTT sensor ingest: broker {}", config.get().url());
        return Optional.of(sensors);
    }

    /** Body of a {@code sensor.availability} event. */
    record AvailabilityPayload(String room, String sensor, boolean online, String state, String topic) {
    }

    /** Ingest thread: gathers the batch's events; {@link #flush} hands them to the journal at once. */
    private void journal(SensorEvent event) {
        try {
            if (event instanceof SensorEvent.Reading r) {
                pending.add(JournalEntry.reading(readingBody(r), r.receivedAt()));
            } else if (event instanceof SensorEvent.Availability a) {
                pending.add(new JournalEntry(EventType.SENSOR_AVAILABILITY, a.receivedAt(), Optional.of(a.room()),
                        JSON.writeValueAsString(new AvailabilityPayload(a.room(), a.sensor(), a.online(), a.state(), a.topic()))));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a sensor event", e);
        }
    }

    /** Ingest thread, after each batch: hands its events to the journal, first waiting for room if too many are uncommitted. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        int n = pending.size();
        int permits = Math.min(n, maxInFlight);
        int held = inFlight.tryAcquire(permits) ? permits : awaitRoom(permits);
        journal.appendAll(pending).whenComplete((events, error) -> {
            inFlight.release(held);
            if (error != null) {
                journalFailures.add(n);
            }
        });
        pending.clear();
    }

    /**
     * Waits until the journal has committed enough to take {@code permits} more events; returns
     * how many were taken (none if the thread was interrupted, i.e. ingest is closing: the batch
     * still goes to the journal, nothing decoded is thrown away).
     */
    private int awaitRoom(int permits) {
        stalls.increment();
        long start = System.nanoTime();
        if (start - stallLoggedAt >= STALL_LOG_INTERVAL_NANOS) {
            stallLoggedAt = start;
            LOG.warn("MQTT ingest waits for the journal: {} sensor events are not yet committed (limit {}); meanwhile"
                    + " each topic's oldest queued messages are dropped and counted (logged at most once a minute)",
                    inFlight(), maxInFlight);
        }
        try {
            inFlight.acquire(permits);
            return permits;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            stalledNanos.add(System.nanoTime() - start);
        }
    }

    /** Events handed to the journal and not yet committed. */
    int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** How often the ingest thread has waited for the journal to commit. */
    long stalls() {
        return stalls.sum();
    }

    static ReadingBody readingBody(SensorEvent.Reading r) {
        return new ReadingBody(r.room(), r.sensor(), r.metric().wireName(), r.unit(), r.value(), r.topic());
    }

    MqttIngestStats stats() {
        return ingest.stats();
    }

    void metrics(PrometheusText p) {
        MqttIngestStats s = ingest.stats();
        p.metric("campus_edge_mqtt_connected", "gauge", "1 while connected to the MQTT broker.", s.connected() ? 1 : 0);
        p.metric("campus_edge_mqtt_messages_total", "counter", "MQTT messages received.", s.received());
        p.metric("campus_edge_mqtt_readings_total", "counter", "Sensor readings decoded.", s.readings());
        p.family("campus_edge_mqtt_rejected_total", "counter", "MQTT messages or fields rejected, by reason.");
        for (RejectReason r : RejectReason.values()) {
            p.sample("campus_edge_mqtt_rejected_total", s.rejected().getOrDefault(r, 0L), "reason", r.name().toLowerCase(Locale.ROOT));
        }
        p.metric("campus_edge_mqtt_dropped_total", "counter", "MQTT messages dropped because ingest fell behind.", s.dropped());
        p.metric("campus_edge_mqtt_reconnects_total", "counter", "Reconnections to the MQTT broker.", s.reconnects());
        p.metric("campus_edge_sensor_journal_failures_total", "counter", "Sensor events not journaled.", journalFailures.sum());
        p.metric("campus_edge_sensor_journal_in_flight", "gauge", "Sensor events handed to the journal, not yet committed.",
                inFlight());
        p.metric("campus_edge_sensor_journal_stalls_total", "counter",
                "Times MQTT ingest waited because too many sensor events were not yet committed.", stalls.sum());
        p.metric("campus_edge_sensor_journal_stalled_seconds_total", "counter",
                "Time MQTT ingest spent waiting for the journal to commit.", stalledNanos.sum() / 1e9);
    }

    @Override
    public void close() {
        ingest.close();
    }
}
