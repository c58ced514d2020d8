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
}
