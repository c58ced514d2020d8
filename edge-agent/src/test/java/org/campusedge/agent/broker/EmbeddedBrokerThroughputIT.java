package org.campusedge.agent.broker;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Paho publisher to one Paho subscriber through the broker, QoS 0, 100k messages. Prints
 * the rate for the record; asserts only that every message is accounted for (the machine is
 * shared, so no rate is asserted). Paho's synchronous publish is usually the bottleneck here: the
 * same loop against Mosquitto gives about the same figure.
 */
class EmbeddedBrokerThroughputIT {

    private static final int MESSAGES = 100_000;

    @Test
    void one_publisher_to_one_subscriber_at_qos0_accounts_for_every_message() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
             PahoClients paho = new PahoClients()) {
            String uri = PahoClients.uri("127.0.0.1", broker.port());
            MqttClient sub = paho.connect(uri, "bench-sub");
            AtomicLong received = new AtomicLong();
            sub.subscribe("bench/+/temperature", 0, (topic, m) -> received.incrementAndGet());
            MqttClient pub = paho.connect(uri, "bench-pub");
            byte[] payload = "{\"temperature\":21.5,\"humidity\":40}".getBytes(StandardCharsets.UTF_8);

            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                pub.publish("bench/studio-1/temperature", payload, 0, false);
            }
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            Await.until("every message delivered or counted as dropped",
                    () -> received.get() + broker.stats().dropped(DropReason.SLOW_CONSUMER) == MESSAGES);
            double seconds = (System.nanoTime() - start) / 1e9;

            EmbeddedBrokerStats stats = broker.stats();
            System.out.printf(Locale.ROOT, "embedded broker throughput: %d QoS 0 messages, 1 publisher -> 1 subscriber, "
                            + "publisher done in %.2f s, all accounted for in %.2f s: %.0f msgs/s delivered, %d dropped%n",
                    MESSAGES, publishSeconds, seconds, received.get() / seconds, stats.dropped(DropReason.SLOW_CONSUMER));
            assertThat(stats.messagesIn()).isEqualTo(MESSAGES);
            assertThat(stats.messagesOut()).isEqualTo(received.get());
        }
    }

    /**
     * The broker's own share: a raw socket writes 100k QoS 0 PUBLISH packets as fast as the
     * kernel takes them and a raw socket reads them, so no client library sets the pace.
     */
    @Test
    void raw_socket_publisher_to_raw_socket_subscriber_accounts_for_every_message() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
             RawMqttClient sub = new RawMqttClient("127.0.0.1", broker.port());
             RawMqttClient pub = new RawMqttClient("127.0.0.1", broker.port())) {
            sub.send(RawMqttClient.connect("raw-sub", true, 0));
            assertThat(sub.read().body()).containsExactly(0, 0);
            sub.send(RawMqttClient.subscribe(1, "bench/+/temperature", 0));
            assertThat(sub.read().body()).containsExactly(0, 1, 0);
            pub.send(RawMqttClient.connect("raw-pub", true, 0));
            assertThat(pub.read().body()).containsExactly(0, 0);

            byte[] one = RawMqttClient.publish("bench/studio-1/temperature",
                    "{\"temperature\":21.5,\"humidity\":40}".getBytes(StandardCharsets.UTF_8), 0, 0);
            byte[] all = new byte[one.length * MESSAGES];
            for (int i = 0; i < MESSAGES; i++) {
                System.arraycopy(one, 0, all, i * one.length, one.length);
            }
            AtomicLong received = new AtomicLong();
            AtomicLong target = new AtomicLong(Long.MAX_VALUE); // known once the broker has routed everything
            Thread reader = new Thread(() -> {
                try {
                    while (received.get() < target.get()) {
                        if (sub.read().type() == 3) { // PUBLISH
                            received.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    // The test stops reading once everything is read, which may find us in read().
                    if (received.get() < target.get()) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }, "throughput-raw-reader");
            long start = System.nanoTime();
            reader.start();
            pub.send(all);
            Await.until("every message routed or counted as dropped", () -> broker.stats().messagesOut()
                    + broker.stats().dropped(DropReason.SLOW_CONSUMER) == MESSAGES);
            target.set(broker.stats().messagesOut());
            Await.until("every routed message read", () -> received.get() == target.get());
            double seconds = (System.nanoTime() - start) / 1e9;
            sub.stopReading();
            reader.join(30_000);
            EmbeddedBrokerStats stats = broker.stats();
            System.out.printf(Locale.ROOT, "embedded broker throughput: %d QoS 0 messages, raw socket -> raw socket, "
                            + "%.2f s: %.0f msgs/s in, %.0f msgs/s delivered, %d dropped (slow consumer)%n",
                    MESSAGES, seconds, MESSAGES / seconds, received.get() / seconds, stats.dropped(DropReason.SLOW_CONSUMER));
            assertThat(stats.messagesIn()).isEqualTo(MESSAGES);
            assertThat(stats.messagesOut()).isEqualTo(received.get());
        }
    }
}
