package org.campusedge.agent.sensors;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What MQTT ingest must do against a real broker: every preset, every bad-input class, availability,
 * status and last will, reconnecting. Run against the real Mosquitto ({@link MqttIngestMosquittoIT})
 * and the agent's embedded broker ({@link MqttIngestEmbeddedIT}). Every run uses device names and
 * topics with a random suffix so parallel runs do not see each other's messages.
 */
abstract class MqttIngestContract {

    /** The broker under test, e.g. {@code tcp://127.0.0.1:1883}. */
    protected abstract String broker();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String plug = "plug-" + run;
    private final String door = "door-" + run;
    private final String env = "env-" + run;
    private final String statusTopic = "campus-edge-it/" + run + "/status";
    private final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> status = new CopyOnWriteArrayList<>();
    private MqttClient publisher;
    private MqttIngest ingest;

    @BeforeEach
    void connect_publisher() throws MqttException {
        publisher = new MqttClient(broker(), "campus-edge-it-pub-" + run, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        publisher.connect(o);
        publisher.subscribe(statusTopic, 1, (topic, m) -> status.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
    }

    @AfterEach
    void clean_up() throws MqttException {
        if (ingest != null) {
            ingest.close();
        }
        // Clear the retained status so the broker keeps nothing from this run.
        publisher.publish(statusTopic, new byte[0], 1, true);
        publisher.disconnect();
        publisher.close();
    }

    private MqttSensorConfig config() {
        List<SensorMapping> readings = new ArrayList<>();
        List<AvailabilityMapping> availability = new ArrayList<>();
        for (SensorPreset.Expansion e : List.of(
                SensorPreset.TASMOTA.expand(plug, "maker-1", "laser-cutter"),
                SensorPreset.ZIGBEE2MQTT.expand(door, "robotics-1", door),
                SensorPreset.HOMIE.expand(env, "studio-1", env),
                SensorPreset.JSON.expand("", "maker-1", "{1}", Optional.of("campus-edge-it/" + run + "/+/env")))) {
            readings.addAll(e.readings());
            availability.addAll(e.availability());
        }
        return new MqttSensorConfig(URI.create(broker()), "campus-edge-it-" + run, Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(30), statusTopic, 4096, readings, availability);
    }

    /** Starts the ingest and waits for its retained "online", sent after its SUBSCRIBE. */
    private void startIngest() throws MqttException {
        ingest = new MqttIngest(config(), events::add);
        ingest.start();
        await(() -> status.contains("online"), "status topic says online");
        assertThat(ingest.connected()).isTrue();
    }

    private void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(String topic, byte[] payload) throws MqttException {
        publisher.publish(topic, payload, 1, false);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    private Stream<SensorEvent.Reading> readings() {
        return events.stream().filter(e -> e instanceof SensorEvent.Reading).map(e -> (SensorEvent.Reading) e);
    }

    private Stream<SensorEvent.Availability> availability() {
        return events.stream().filter(e -> e instanceof SensorEvent.Availability).map(e -> (SensorEvent.Availability) e);
    }

    @Test
    void readings_from_every_preset_reach_the_sink() throws Exception {
        startIngest();
        publish("tele/" + plug + "/SENSOR", "{\"Time\":\"2018-01-17T18:59:50\",\"ENERGY\":{\"Total\":1.956,\"Yesterday\":0.054,"
                + "\"Today\":0.049,\"Period\":0,\"Power\":9,\"Factor\":0.43,\"Voltage\":231,\"Current\":0.089}}");
        publish("zigbee2mqtt/" + door, "{\"battery\":100,\"contact\":false,\"linkquality\":120,\"temperature\":21.3}");
        publish("homie/" + env + "/climate/co2", "612");
        publish("campus-edge-it/" + run + "/bench-2/env", "{\"temperature\":21.5,\"noise\":48.2}");
        await(() -> readings().count() == 7, "seven readings arrived");
        assertThat(readings()).extracting("room", "sensor", "metric", "value").containsExactlyInAnyOrder(
                tuple("maker-1", "laser-cutter", Metric.POWER, 9.0),
                tuple("maker-1", "laser-cutter", Metric.ENERGY, 1.956),
                tuple("robotics-1", door, Metric.DOOR, 1.0),
                tuple("robotics-1", door, Metric.TEMPERATURE, 21.3),
                tuple("studio-1", env, Metric.CO2, 612.0),
                tuple("maker-1", "bench-2", Metric.TEMPERATURE, 21.5),
                tuple("maker-1", "bench-2", Metric.NOISE, 48.2));
        assertThat(ingest.stats().received()).isEqualTo(4);
        assertThat(ingest.stats().readings()).isEqualTo(7);
    }

    @Test
    void bad_payloads_are_counted_by_reason_while_good_topics_keep_flowing() throws Exception {
        startIngest();
        String json = "campus-edge-it/" + run + "/bad/env";
        publish(json, new byte[5000]);
        publish(json, new byte[] {'{', (byte) 0xC3, '}'});
        publish(json, "{\"temperature\":");
        publish(json, "{\"temperature\":NaN}");
        publish(json, "{\"temperature\":300}");
        publish(json, "{\"pressure\":1013}");
        publish("homie/" + env + "/climate/temperature", "warm");
        for (int i = 0; i < 500; i++) {
            publisher.publish("campus-edge-it/" + run + "/flood/env", ("{\"noise\":" + (i % 100) + "}").getBytes(StandardCharsets.UTF_8), 0, false);
        }
        publish("campus-edge-it/" + run + "/good/env", "{\"co2\":830}");
        await(() -> readings().anyMatch(r -> r.sensor().equals("good")), "the good reading arrived");
        // topics are drained in turn, so the good reading can be counted before the bad topic's last messages
        await(() -> ingest.stats().rejected().values().stream().mapToLong(Long::longValue).sum() == 7,
                "all seven bad messages were decoded");
        MqttIngestStats s = ingest.stats();
        assertThat(s.rejected()).containsEntry(RejectReason.OVERSIZE, 1L).containsEntry(RejectReason.INVALID_UTF8, 1L)
                .containsEntry(RejectReason.MALFORMED_JSON, 1L).containsEntry(RejectReason.NOT_FINITE, 1L)
                .containsEntry(RejectReason.OUT_OF_RANGE, 1L).containsEntry(RejectReason.MISSING_FIELD, 1L)
                .containsEntry(RejectReason.NOT_NUMERIC, 1L).containsEntry(RejectReason.UNKNOWN_TOPIC, 0L);
        await(() -> ingest.stats().readings() + ingest.stats().dropped() >= 501, "the flood was decoded or dropped");
    }

    @Test
    void availability_topics_produce_offline_and_online_events() throws Exception {
        startIngest();
        publish("tele/" + plug + "/LWT", "Offline");
        publish("zigbee2mqtt/" + door + "/availability", "{\"state\":\"offline\"}");
        publish("homie/" + env + "/$state", "lost");
        publish("homie/" + env + "/$state", "ready");
        await(() -> availability().count() == 4, "four availability events arrived");
        assertThat(availability()).extracting("sensor", "online").containsExactlyInAnyOrder(
                tuple("laser-cutter", false), tuple(door, false), tuple(env, false), tuple(env, true));
    }

    @Test
    void status_topic_shows_online_then_offline_after_close_and_no_thread_survives() throws Exception {
        startIngest();
        String clientId = "campus-edge-it-" + run;
        assertThat(threadsOf(clientId)).isNotEmpty();
        ingest.close();
        await(() -> status.contains("offline"), "status topic says offline");
        assertThat(status).containsSubsequence("online", "offline");
        assertThat(ingest.connected()).isFalse();
        await(() -> threadsOf(clientId).isEmpty(), "every ingest and Paho thread ended: " + threadsOf(clientId));
    }

    @Test
    void after_losing_the_connection_it_reconnects_and_resubscribes() throws Exception {
        startIngest();
        status.clear();
        // A second client with the same id makes the broker drop ours (MQTT 3.1.1 section 3.1.4).
        MqttClient intruder = new MqttClient(broker(), "campus-edge-it-" + run, new MemoryPersistence());
        intruder.connect();
        intruder.disconnect();
        intruder.close();
        await(() -> ingest.stats().reconnects() == 1 && ingest.connected(), "the ingest reconnected");
        await(() -> status.contains("online"), "status topic says online again");
        publish("homie/" + env + "/climate/humidity", "41.5");
        await(() -> readings().anyMatch(r -> r.metric() == Metric.HUMIDITY), "a reading arrived after the reconnect");
    }

    @Test
    void with_the_broker_unreachable_it_keeps_retrying_and_close_still_ends_every_thread() throws Exception {
        MqttSensorConfig c = config();
        MqttSensorConfig unreachable = new MqttSensorConfig(URI.create("tcp://127.0.0.1:1"), c.clientId(), c.username(),
                c.password(), c.caFile(), c.keepAlive(), c.statusTopic(), c.maxPayloadBytes(), c.readings(), c.availability());
        ingest = new MqttIngest(unreachable, events::add);
        ingest.start();
        Thread.sleep(300);
        assertThat(ingest.connected()).isFalse();
        ingest.close();
        await(() -> threadsOf(c.clientId()).isEmpty(), "every thread ended: " + threadsOf(c.clientId()));
    }

    private static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(clientId) || n.startsWith("campus-edge-mqtt-")).toList();
    }
}
