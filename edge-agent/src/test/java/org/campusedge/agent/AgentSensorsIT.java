package org.campusedge.agent;

import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.ScratchJournal;
import org.campusedge.agent.sensors.MqttIngestStats;
import org.campusedge.agent.sensors.MqttSensorConfig;
import org.campusedge.agent.sensors.SensorPreset;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's sensor ingest against the real Mosquitto (127.0.0.1:1883) when the journal falls
 * behind: what is handed to the journal uncommitted stays within its bound, the overflow is
 * dropped and counted at the per-topic queues, and every reading ingest took is committed once
 * the journal catches up.
 */
class AgentSensorsIT {

    private static final String BROKER = "tcp://127.0.0.1:1883";
    private static final int TOPICS = 50;
    private static final int PER_TOPIC = 100;

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private MqttSensorConfig config() {
        SensorPreset.Expansion json = SensorPreset.JSON.expand("", "maker-1", "{1}", Optional.of("agent-sensors-it/" + run + "/+/env"));
        return new MqttSensorConfig(URI.create(BROKER), "agent-sensors-it-" + run, Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(30), "agent-sensors-it/" + run + "/status", 4096, json.readings(),
                json.availability());
    }

    @Test
    void a_journal_that_falls_behind_holds_ingest_to_its_bound_and_every_reading_taken_is_committed() throws Exception {
        Journal journal = scratch.open();
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The writer thread stuck in a transaction: nothing commits until release.
        journal.write(c -> {
            writerHeld.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();

        int bound = 500;
        AgentSensors sensors = new AgentSensors(config(), journal, bound);
        MqttClient publisher = new MqttClient(BROKER, "agent-sensors-it-pub-" + run, new MemoryPersistence());
        try {
            sensors.start();
            await(() -> sensors.stats().connected(), "ingest connected");
            // Subscribed once its retained "online" is out; a second client sees it.
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            publisher.connect(o);
            CountDownLatch online = new CountDownLatch(1);
            publisher.subscribe("agent-sensors-it/" + run + "/status", 1, (t, m) -> {
                if (new String(m.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                    online.countDown();
                }
            });
            assertThat(online.await(10, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < TOPICS * PER_TOPIC; i++) {
                publisher.publish("agent-sensors-it/" + run + "/s" + (i % TOPICS) + "/env",
                        ("{\"temperature\":" + (20 + i % 10) + "}").getBytes(StandardCharsets.US_ASCII), 0, false);
            }
            await(() -> {
                MqttIngestStats s = sensors.stats();
                return s.received() == TOPICS * PER_TOPIC && s.dropped() > 0;
            }, "all messages received and the overflow dropped");
            // Nothing committed yet, and no more than the bound handed to the journal.
            assertThat(journal.lastSeq("readings")).isZero();
            assertThat(sensors.inFlight()).isBetween(1, bound);
            assertThat(sensors.stalls()).isPositive();

            release.countDown();
            // all taken (or dropped) first: between two batches the journal can have caught up with the ingest
            await(() -> {
                MqttIngestStats now = sensors.stats();
                return now.readings() + now.dropped() == TOPICS * PER_TOPIC && journal.lastSeq("readings") == now.readings()
                        && sensors.inFlight() == 0;
            }, "every message taken or dropped, and every reading taken committed");
            MqttIngestStats s = sensors.stats();
            assertThat(s.readings() + s.dropped()).isEqualTo(TOPICS * PER_TOPIC);
            assertThat(s.readings()).isGreaterThan(bound);
            assertThat(s.sinkFailures()).isZero();
        } finally {
            release.countDown();
            sensors.close();
            if (publisher.isConnected()) {
                publisher.publish("agent-sensors-it/" + run + "/status", new byte[0], 1, true);
                publisher.disconnect();
            }
            publisher.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
