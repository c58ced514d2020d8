package org.campusedge.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.JournalEvent;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Sensors publishing to the real Mosquitto end up in the agent's journal, readings stream. */
class AgentMqttIT {

    @TempDir
    Path dir;

    @Test
    void tasmota_and_json_sensors_are_journaled_and_bad_payloads_counted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String plug = "it-plug-" + run;
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-%s, school: IT School, time-zone: UTC}
                rooms: [{id: maker-1, type: maker-space}]
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                mqtt: {url: "tcp://127.0.0.1:1883", status-topic: "campus-edge-it/%s/status"}
                sensors:
                  - {preset: tasmota, device: %s, room: maker-1, sensor: laser-cutter}
                  - {preset: json, topic: "campus-edge-it/%s/+/env", room: maker-1}
                """.formatted(run, run, plug, run));
        MqttClient pub = new MqttClient("tcp://127.0.0.1:1883", "agent-it-pub-" + run, new MemoryPersistence());
        pub.connect();
        java.util.List<String> status = new java.util.concurrent.CopyOnWriteArrayList<>();
        pub.subscribe("campus-edge-it/" + run + "/status", 1, (t, m) -> status.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults())) {
            // The agent publishes its retained "online" only after its subscriptions are in place.
            Waits.until("agent online and subscribed", Duration.ofSeconds(10), () -> status.contains("online"));
            assertThat(metrics(agent)).contains("campus_edge_mqtt_connected 1");
            try {
                // Tasmota energy telemetry as a Sonoff POW publishes it (arendst/Tasmota issue 1621 shape).
                pub.publish("tele/" + plug + "/SENSOR", ("{\"Time\":\"2026-11-29T08:00:00\",\"ENERGY\":{\"Total\":1.2,"
                        + "\"Power\":1234,\"Voltage\":229}}").getBytes(StandardCharsets.UTF_8), 1, false);
                pub.publish("campus-edge-it/" + run + "/bench-3/env", "{\"temperature\":21.5,\"humidity\":40}"
                        .getBytes(StandardCharsets.UTF_8), 1, false);
                pub.publish("campus-edge-it/" + run + "/bench-4/env", "{\"temperature\":\"hot\"}"
                        .getBytes(StandardCharsets.UTF_8), 1, false);
            } finally {
                pub.publish("campus-edge-it/" + run + "/status", new byte[0], 1, true);
                pub.disconnect();
                pub.close();
            }
            // energy and power from the plug, temperature and humidity from the bench sensor
            Waits.until("four readings journaled", Duration.ofSeconds(10), () -> agent.journal().count(EventStream.READINGS) >= 4);
            ObjectMapper json = new ObjectMapper();
            java.util.List<JournalEvent> readings = agent.journal().query(new EventQuery(Optional.of(EventStream.READINGS),
                    Optional.of("sensor.reading"), Optional.of("maker-1"), Optional.empty(), 10));
            assertThat(readings).extracting(e -> json.readTree(e.payloadJson()).path("metric").asText())
                    .contains("power", "temperature", "humidity");
            JsonNode power = readings.stream().map(e -> {
                try {
                    return json.readTree(e.payloadJson());
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).filter(n -> n.path("metric").asText().equals("power")).findFirst().orElseThrow();
            assertThat(power.path("value").asDouble()).isEqualTo(1234.0);
            assertThat(power.path("sensor").asText()).isEqualTo("laser-cutter");
            Waits.until("bad payload counted", Duration.ofSeconds(15),
                    () -> metrics(agent).contains("campus_edge_mqtt_rejected_total{reason=\"not_numeric\"} 1"));
        }
    }

    private static String metrics(Agent agent) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
