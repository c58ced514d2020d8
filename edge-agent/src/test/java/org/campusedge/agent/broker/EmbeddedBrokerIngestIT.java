package org.campusedge.agent.broker;

import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.broker.PahoClients.Received;
import org.campusedge.agent.sensors.AvailabilityMapping;
import org.campusedge.agent.sensors.Metric;
import org.campusedge.agent.sensors.MqttIngest;
import org.campusedge.agent.sensors.MqttSensorConfig;
import org.campusedge.agent.sensors.SensorEvent;
import org.campusedge.agent.sensors.SensorMapping;
import org.campusedge.agent.sensors.SensorPreset;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The agent's own MQTT ingest (Paho, with a user name and password) reads sensors through the embedded broker. */
class EmbeddedBrokerIngestIT {

    @Test
    void the_agent_ingest_connects_with_credentials_and_receives_tasmota_and_homie_readings() throws Exception {
        EmbeddedBrokerConfig config = EmbeddedBrokerConfig.defaults().withPort(0).withUsers(Map.of(
                "agent", PasswordHash.create("agent-pw".toCharArray(), 10_000),
                "sensor", PasswordHash.create("sensor-pw".toCharArray(), 10_000)));
        List<SensorEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start(config); PahoClients paho = new PahoClients()) {
            String uri = PahoClients.uri("127.0.0.1", broker.port());
            List<SensorMapping> readings = new ArrayList<>();
            List<AvailabilityMapping> availability = new ArrayList<>();
            for (SensorPreset.Expansion e : List.of(
                    SensorPreset.TASMOTA.expand("plug-1", "maker-1", "laser-cutter"),
                    SensorPreset.HOMIE.expand("env-1", "studio-1", "env-1"))) {
                readings.addAll(e.readings());
                availability.addAll(e.availability());
            }
            MqttSensorConfig ingestConfig = new MqttSensorConfig(URI.create(uri), "campus-edge-agent", Optional.of("agent"),
                    Optional.of("agent-pw"), Optional.empty(), Duration.ofSeconds(30), "campus-edge/status", 4096,
                    readings, availability);

            MqttClient sensor = paho.create(uri, "tasmota-plug-1");
            MqttConnectOptions o = PahoClients.options(true);
            o.setUserName("sensor");
            o.setPassword("sensor-pw".toCharArray());
            sensor.connect(o);
            List<Received> status = PahoClients.subscribe(sensor, "campus-edge/status", 1);

            try (MqttIngest ingest = new MqttIngest(ingestConfig, events::add)) {
                ingest.start();
                Await.until("the ingest says online (after subscribing)",
                        () -> status.stream().anyMatch(r -> r.payload().equals("online")));
                PahoClients.publish(sensor, "tele/plug-1/SENSOR", "{\"ENERGY\":{\"Total\":1.956,\"Power\":9}}", 1, false);
                PahoClients.publish(sensor, "homie/env-1/climate/co2", "612", 1, false);
                Await.until("three readings", () -> events.stream().filter(e -> e instanceof SensorEvent.Reading).count() == 3);
            }
            assertThat(events).filteredOn(e -> e instanceof SensorEvent.Reading).map(e -> (SensorEvent.Reading) e)
                    .extracting("room", "metric", "value").containsExactlyInAnyOrder(
                            tuple("maker-1", Metric.POWER, 9.0),
                            tuple("maker-1", Metric.ENERGY, 1.956),
                            tuple("studio-1", Metric.CO2, 612.0));
            assertThat(broker.stats().connectionsAccepted()).isEqualTo(2);
        }
    }
}
