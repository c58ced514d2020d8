package org.campusedge.agent.broker;

import org.campusedge.agent.broker.PahoClients.Received;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker under abuse: garbage, oversized packets, slow consumers, many clients, busy ports. */
class EmbeddedBrokerRobustnessIT {

    private final PahoClients paho = new PahoClients();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        paho.close();
        if (broker != null) {
            broker.close();
        }
    }

    private String uri() {
        return PahoClients.uri("127.0.0.1", broker.port());
    }

    /** Proves another client is unaffected: a QoS 1 round trip through the broker. */
    private void assertRoundTrip(MqttClient client, String topic) throws Exception {
        List<Received> got = PahoClients.subscribe(client, topic, 1);
        PahoClients.publish(client, topic, "still working", 1, false);
        Await.until("a round trip on " + topic, () -> got.size() == 1);
    }

    @Test
    void garbage_bytes_close_that_connection_only_and_are_counted() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
        MqttClient healthy = paho.connect(uri(), "healthy");
        try (RawMqttClient raw = new RawMqttClient("127.0.0.1", broker.port())) {
            // Packet type 0 is reserved (section 2.2.1 table 2.1): not MQTT.
            raw.send(new byte[] {0x00, 0x05, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x00});
            assertThat(raw.closedByBroker()).isTrue();
        }
        try (RawMqttClient raw = new RawMqttClient("127.0.0.1", broker.port())) {
            raw.send(RawMqttClient.connect("garbage-after-connect", true, 60));
            assertThat(raw.read().body()).containsExactly(0, 0);
            // A SUBSCRIBE whose fixed-header flags are not 0010 (section 3.8.1) and whose length lies.
            raw.send(new byte[] {(byte) 0x80, 0x7f, 0x01});
            raw.send(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(raw.closedByBroker()).isTrue();
        }
        try (RawMqttClient raw = new RawMqttClient("127.0.0.1", broker.port())) {
            raw.send(RawMqttClient.subscribe(1, "a", 0)); // section 3.1.0-1: CONNECT must come first
            assertThat(raw.closedByBroker()).isTrue();
        }
        EmbeddedBrokerStats stats = broker.stats();
        assertThat(stats.protocolErrors(ProtocolError.MALFORMED)).isEqualTo(2);
        assertThat(stats.protocolErrors(ProtocolError.FIRST_PACKET_NOT_CONNECT)).isEqualTo(1);
        assertThat(healthy.isConnected()).isTrue();
        assertRoundTrip(healthy, "after/garbage");
    }

    @Test
    void random_bytes_before_and_after_connect_never_disturb_other_clients() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
        MqttClient healthy = paho.connect(uri(), "healthy");
        java.util.Random random = new java.util.Random(20261129);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            try (RawMqttClient raw = new RawMqttClient("127.0.0.1", broker.port())) {
                if (i % 2 == 1) {
                    raw.send(RawMqttClient.connect("fuzz-" + i, true, 0));
                    assertThat(raw.read().body()).containsExactly(0, 0);
                }
                raw.send(garbage);
            }
        }
        Await.until("every fuzzing socket is gone", () -> broker.stats().connectionsOpen() == 1);
        assertThat(broker.stats().protocolErrorsTotal()).isPositive();
        assertThat(healthy.isConnected()).isTrue();
        assertRoundTrip(healthy, "after/fuzz");
    }

    @Test
    void a_packet_over_the_maximum_closes_its_connection_and_is_counted() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0).withMaxPacketBytes(1024));
        MqttClient healthy = paho.connect(uri(), "healthy");
        MqttClient big = paho.connect(uri(), "big");
        big.setTimeToWait(2_000);
        try {
            big.publish("sensors/blob", new byte[2048], 0, false);
        } catch (org.eclipse.paho.client.mqttv3.MqttException expected) {
            // The broker may drop the connection before Paho counts the QoS 0 publish as written.
        }
        Await.until("the oversized packet is refused",
                () -> broker.stats().protocolErrors(ProtocolError.PACKET_TOO_LARGE) == 1);
        Await.until("the sender is disconnected", () -> !big.isConnected());
        assertThat(broker.stats().messagesIn()).isZero();
        assertRoundTrip(healthy, "after/oversized");
    }

    @Test
    void a_subscriber_that_stops_reading_costs_bounded_memory_and_drops_are_counted() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0).withMaxQueuedMessages(100));
        byte[] payload = new byte[4096];
        int messages = 5_000; // 20 MB: far more than socket buffers and the broker's high-water mark hold
        try (RawMqttClient slow = new RawMqttClient("127.0.0.1", broker.port(), 4096);
             RawMqttClient publisher = new RawMqttClient("127.0.0.1", broker.port())) {
            slow.send(RawMqttClient.connect("slow", true, 0));
            assertThat(slow.read().body()).containsExactly(0, 0);
            slow.send(RawMqttClient.subscribe(1, "flood/#", 0));
            assertThat(slow.read().body()).containsExactly(0, 1, 0);
            publisher.send(RawMqttClient.connect("flooder", true, 0));
            assertThat(publisher.read().body()).containsExactly(0, 0);

            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < messages; i++) {
                burst.writeBytes(RawMqttClient.publish("flood/qos0", payload, 0, 0));
            }
            publisher.send(burst.toByteArray());
            Await.until("every QoS 0 message sent or dropped", () -> broker.stats().messagesOut()
                    + broker.stats().dropped(DropReason.SLOW_CONSUMER) == messages);
            EmbeddedBrokerStats stats = broker.stats();
            assertThat(stats.dropped(DropReason.SLOW_CONSUMER)).isPositive();
            assertThat(stats.messagesOut() + stats.dropped(DropReason.SLOW_CONSUMER)).isEqualTo(messages);
            // What waits for the slow socket is bounded by the high-water mark plus one packet (and Netty's overhead).
            long bound = EmbeddedBroker.OUTBOUND_HIGH_WATER_BYTES + 2L * payload.length;
            assertThat(broker.largestOutboundBytesQueued()).isLessThanOrEqualTo(bound);

            // QoS 1 for a client that never acknowledges: 64 in flight, 100 queued, the rest dropped oldest first.
            slow.send(RawMqttClient.subscribe(2, "acked/#", 1));
            int qos1 = 1_000;
            ByteArrayOutputStream burst1 = new ByteArrayOutputStream();
            for (int i = 1; i <= qos1; i++) {
                burst1.writeBytes(RawMqttClient.publish("acked/q1", new byte[10], 1, i));
            }
            publisher.send(burst1.toByteArray());
            long inflightAndQueued = BrokerCore.MAX_INFLIGHT + 100;
            Await.until("every QoS 1 message past the bounds dropped",
                    () -> broker.stats().dropped(DropReason.QUEUE_FULL) >= qos1 - inflightAndQueued);
            assertThat(broker.stats().dropped(DropReason.QUEUE_FULL)).isLessThanOrEqualTo(qos1);
            assertThat(broker.largestOutboundBytesQueued()).isLessThanOrEqualTo(bound);
        }
        MqttClient after = paho.connect(uri(), "after");
        assertRoundTrip(after, "after/flood");
    }

    @Test
    void retained_topics_past_the_limit_are_delivered_but_not_kept() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
        try (RawMqttClient publisher = new RawMqttClient("127.0.0.1", broker.port())) {
            publisher.send(RawMqttClient.connect("retainer", true, 0));
            assertThat(publisher.read().body()).containsExactly(0, 0);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i <= BrokerCore.MAX_RETAINED; i++) {
                burst.writeBytes(RawMqttClient.publishRetained("r/" + i, new byte[] {1}));
            }
            burst.writeBytes(RawMqttClient.publishRetained("r/0", new byte[] {2})); // replacing is always allowed
            publisher.send(burst.toByteArray());
            Await.until("every retained message processed", () -> broker.stats().messagesIn() == BrokerCore.MAX_RETAINED + 2);
        }
        assertThat(broker.stats().retainedMessages()).isEqualTo(BrokerCore.MAX_RETAINED);
        assertThat(broker.stats().dropped(DropReason.RETAINED_LIMIT)).isEqualTo(1);
        MqttClient late = paho.connect(uri(), "late");
        List<Received> got = PahoClients.subscribe(late, "r/0", 0);
        Await.until("the replaced retained message", () -> got.size() == 1);
        assertThat(got.get(0).payload()).isEqualTo("\u0002");
    }

    @Test
    void fifty_clients_at_once_all_get_every_message() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0));
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<List<Received>>> subscribed = new ArrayList<>();
            List<MqttClient> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MqttClient c = paho.create(uri(), "client-" + i);
                clients.add(c);
                subscribed.add(pool.submit(() -> {
                    c.connect(PahoClients.options(true));
                    return PahoClients.subscribe(c, "fleet/all", 1);
                }));
            }
            List<List<Received>> inboxes = new ArrayList<>();
            for (Future<List<Received>> f : subscribed) {
                inboxes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(broker.stats().connectionsOpen()).isEqualTo(n);
            List<Future<?>> published = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MqttClient c = clients.get(i);
                String payload = "from-" + i;
                published.add(pool.submit(() -> {
                    PahoClients.publish(c, "fleet/all", payload, 1, false);
                    return null;
                }));
            }
            for (Future<?> f : published) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (List<Received> inbox : inboxes) {
                Await.until("50 messages in every inbox", () -> inbox.size() == n);
                assertThat(inbox).extracting(Received::payload).doesNotHaveDuplicates();
            }
            assertThat(broker.stats().messagesOut()).isEqualTo((long) n * n);
            assertThat(broker.stats().droppedTotal()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connections_past_the_maximum_are_closed_at_once() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0).withMaxConnections(2));
        MqttClient a = paho.connect(uri(), "a");
        paho.connect(uri(), "b");
        try (RawMqttClient third = new RawMqttClient("127.0.0.1", broker.port())) {
            assertThat(third.closedByBroker()).isTrue();
        }
        assertThat(broker.stats().refused(ConnectionRefusal.MAX_CONNECTIONS)).isEqualTo(1);
        Await.until("the refused socket is gone", () -> broker.stats().connectionsOpen() == 2);
        assertRoundTrip(a, "after/max");
    }

    @Test
    void close_releases_the_port_and_every_thread() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0).withBindHosts(List.of("127.0.0.1")));
        int port = broker.port();
        paho.connect(uri(), "connected-at-close");
        assertThat(brokerThreads()).isNotEmpty();
        broker.close();
        assertThat(broker.boundAddresses()).isEmpty();
        assertThat(brokerThreads()).isEmpty();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void a_taken_port_fails_with_the_address_named_and_leaves_no_threads() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedBrokerConfig config = EmbeddedBrokerConfig.defaults().withBindHosts(List.of("127.0.0.1"))
                    .withPort(taken.getLocalPort());
            assertThatThrownBy(() -> EmbeddedBroker.start(config))
                    .isInstanceOf(BrokerBindException.class)
                    .hasMessageStartingWith("embedded MQTT broker: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
        assertThat(brokerThreads()).isEmpty();
    }

    @Test
    void listens_on_ipv6_only_when_told_to() throws Exception {
        broker = EmbeddedBroker.start(EmbeddedBrokerConfig.defaults().withPort(0).withBindHosts(List.of("::1")));
        assertThat(broker.boundAddresses()).singleElement()
                .satisfies(a -> assertThat(a.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1"));
        MqttClient c = paho.connect(PahoClients.uri("::1", broker.port()), "v6");
        assertRoundTrip(c, "v6/only");
    }

    private static List<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("mqtt-broker-"))
                .toList();
    }
}
