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
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's side of MQTT sensor ingest: every reading goes to the journal's readings stream,
 * every sensor going online or offline to the priority stream. The sink runs on the ingest's
 * one thread and only queues journal writes.
 */
final class AgentSensors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSensors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttIngest ingest;
    private final Journal journal;
    private final LongAdder journalFailures = new LongAdder();
    /** Events of the batch the ingest thread is decoding; ingest thread only. */
    private final List<JournalEntry> pending = new ArrayList<>();

    private AgentSensors(MqttSensorConfig config, Journal journal) {
        this.journal = journal;
        this.ingest = new MqttIngest(config, this::journal, this::flush);
    }

    static Optional<AgentSensors> start(Optional<MqttSensorConfig> config, Journal journal) throws Exception {
        if (config.isEmpty()) {
            return Optional.empty();
        }
        AgentSensors sensors = new AgentSensors(config.get(), journal);
        sensors.ingest.start();
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

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        int n = pending.size();
        journal.appendAll(pending).whenComplete((events, error) -> {
            if (error != null) {
                journalFailures.add(n);
            }
        });
        pending.clear();
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
    }

    @Override
    public void close() {
        ingest.close();
    }
}
