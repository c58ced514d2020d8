package org.campusedge.agent.sensors;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS and user/password against a real Mosquitto: a private broker started for the test with a
 * certificate from a throw-away CA (openssl) and a password file (mosquitto_passwd).
 */
class MqttTlsIT {

    @TempDir
    Path dir;

    private Process broker;
    private MqttIngest ingest;

    @AfterEach
    void stop() throws InterruptedException {
        if (ingest != null) {
            ingest.close();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    private int startBroker() throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=campus-edge-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
                "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
        run(dir, "mosquitto_passwd", "-b", "-c", "passwd", "edge", "s3cret-edge-pass");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), """
                user root
                per_listener_settings false
                allow_anonymous false
                password_file %1$s/passwd
                listener %2$d 127.0.0.1
                cafile %1$s/ca.pem
                certfile %1$s/server.pem
                keyfile %1$s/server.key
                """.formatted(dir, port));
        broker = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                new Socket("127.0.0.1", port).close();
                return port;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("private mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private MqttSensorConfig config(int port, String password, Path ca) {
        SensorPreset.Expansion json = SensorPreset.JSON.expand("", "maker-1", "{1}", Optional.of("tls-it/+/env"));
        return new MqttSensorConfig(URI.create("ssl://localhost:" + port), "campus-edge-tls-it", Optional.of("edge"),
                Optional.of(password), Optional.of(ca), Duration.ofSeconds(30), "tls-it/status", 4096,
                json.readings(), json.availability());
    }

    private MqttClient publisher(int port) throws Exception {
        MqttClient pub = new MqttClient("ssl://localhost:" + port, "tls-it-pub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("edge");
        o.setPassword("s3cret-edge-pass".toCharArray());
        o.setSocketFactory(MqttOptions.trusting(dir.resolve("ca.pem")).getSocketFactory());
        pub.connect(o);
        return pub;
    }

    @Test
    void readings_arrive_over_tls_with_a_password_and_a_wrong_password_or_untrusted_ca_never_connects() throws Exception {
        int port = startBroker();
        List<SensorEvent> events = new CopyOnWriteArrayList<>();
        ingest = new MqttIngest(config(port, "s3cret-edge-pass", dir.resolve("ca.pem")), events::add);
        ingest.start();
        MqttClient pub = publisher(port);
        try {
            List<String> status = new CopyOnWriteArrayList<>();
            pub.subscribe("tls-it/status", 1, (t, m) -> status.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            waitFor(() -> status.contains("online"), "ingest online over TLS");
            pub.publish("tls-it/bench-7/env", "{\"temperature\":22.25}".getBytes(StandardCharsets.UTF_8), 1, false);
            waitFor(() -> !events.isEmpty(), "a reading over TLS");
            assertThat(events.get(0)).isInstanceOfSatisfying(SensorEvent.Reading.class, r -> {
                assertThat(r.value()).isEqualTo(22.25);
                assertThat(r.sensor()).isEqualTo("bench-7");
            });
        } finally {
            pub.disconnect();
            pub.close();
        }
        ingest.close();

        List<MqttIngest> refused = new ArrayList<>();
        // A self-made CA the broker's certificate does not chain to.
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                "-keyout", "other.key", "-out", "other.pem");
        for (MqttSensorConfig wrong : List.of(config(port, "wrong-password", dir.resolve("ca.pem")),
                config(port, "s3cret-edge-pass", dir.resolve("other.pem")))) {
            MqttIngest i = new MqttIngest(wrong, e -> { });
            refused.add(i);
            i.start();
        }
        try {
            Thread.sleep(2_000);
            for (MqttIngest i : refused) {
                assertThat(i.connected()).isFalse();
            }
        } finally {
            refused.forEach(MqttIngest::close);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
