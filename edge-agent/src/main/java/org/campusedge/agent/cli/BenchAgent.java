package org.campusedge.agent.cli;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent in a JVM of its own for a benchmark: started from a configuration the benchmark
 * writes, at a capped heap, waited for until it says it is online on MQTT, read through its
 * {@code /metrics}, and stopped. Its CPU and memory are read off /proc ({@link ProcessStats}).
 */
final class BenchAgent implements AutoCloseable {

    private static final Pattern SAMPLE = Pattern.compile("^(\\S+?)(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final MqttAsyncClient watch;
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchAgent(Process process, Path log, int httpPort, MqttAsyncClient watch) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.watch = watch;
    }

    /** A free TCP port on this machine, for the agent's HTTP server or broker. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts {@code campus-edge agent} with {@code yaml} as its configuration in {@code dir} and
     * waits until it publishes {@code online} on {@code statusTopic} at {@code broker}.
     *
     * @param yaml        the whole configuration; its HTTP port must be {@code httpPort} and its
     *                    {@code /metrics} open
     * @param javaOptions extra JVM options (the heap is {@code -Xmx<heap>})
     */
    static BenchAgent start(Path dir, String yaml, int httpPort, URI broker, String statusTopic, String heap,
                            List<String> javaOptions) throws Exception {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, yaml);
        Path log = dir.resolve("agent.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CampusEdgeCli.class.getName(), "agent",
                "--config", cfg.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.printf(Locale.ROOT, "    agent pid %d, log %s%n", process.pid(), log);
        MqttAsyncClient watch = new MqttAsyncClient(broker.toString(), "bench-watch-" + process.pid(), new MemoryPersistence());
        BenchAgent agent = new BenchAgent(process, log, httpPort, watch);
        try {
            connectWithin(watch, 60_000, log);
            CountDownLatch online = new CountDownLatch(1);
            watch.subscribe(statusTopic, 1, (t, m) -> {
                if (new String(m.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                    online.countDown();
                }
            }).waitForCompletion(10_000);
            if (!online.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the agent did not come online within 60 s; see " + log);
            }
            // Online on MQTT comes before the HTTP server listens.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    agent.metrics();
                    return agent;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the agent's HTTP port " + httpPort + " did not answer within 60 s; see " + log, e);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (Exception | Error e) {
            agent.close();
            throw e;
        }
    }

    /** Connects, retrying while the agent (and its embedded broker) starts. */
    private static void connectWithin(MqttAsyncClient client, long millis, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            try {
                client.connect().waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot reach the agent's broker: " + e.getMessage() + "; see " + log, e);
                }
                Thread.sleep(200);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    /** The agent's {@code /metrics} text. */
    String metrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the first sample of {@code name} whose labels contain {@code labels} (any if empty); 0 if none. */
    static long sample(String metrics, String name, String labels) {
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            if (m.group(1).equals(name) && (labels.isEmpty() || (m.group(2) != null && m.group(2).contains(labels)))) {
                return (long) Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }

    /** The sum of every sample of {@code name}. */
    static long sum(String metrics, String name) {
        long total = 0;
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                total += (long) Double.parseDouble(m.group(3));
            }
        }
        return total;
    }

    /**
     * The agent's counts by its {@code /metrics}: readings committed to the journal and folded
     * into the room state, MQTT messages received, messages its ingest dropped, and how often its
     * ingest waited for the journal to commit.
     */
    record Marks(long committed, long applied, long received, long dropped, long stalls) {

        static final Marks ZERO = new Marks(0, 0, 0, 0, 0);

        static Marks of(String metrics) {
            return new Marks(sample(metrics, "campus_edge_journal_last_seq", "stream=\"readings\""),
                    sample(metrics, "campus_edge_rooms_mark", "stream=\"readings\""),
                    sample(metrics, "campus_edge_mqtt_messages_total", ""),
                    sample(metrics, "campus_edge_mqtt_dropped_total", ""),
                    sample(metrics, "campus_edge_sensor_journal_stalls_total", ""));
        }

        Marks minus(Marks base) {
            return new Marks(committed - base.committed, applied - base.applied, received - base.received,
                    dropped - base.dropped, stalls - base.stalls);
        }

        long done() {
            return Math.min(committed, applied);
        }
    }

    Marks marks() throws IOException, InterruptedException {
        return Marks.of(metrics());
    }

    /**
     * Waits until the agent has committed and applied {@code count} more readings than at
     * {@code base}, or made no progress for {@code idleNanos}. Polls every 10 ms for the first
     * second, so the time the last reading was seen is that close to when it was committed, then
     * every 100 ms (a {@code /metrics} costs the agent about a millisecond of CPU, which a long
     * wait should not add up). Tracks the agent's peak RSS meanwhile.
     *
     * @return the marks at the end (relative to {@code base}), when they were reached, and the peak RSS
     */
    Progress awaitReadings(Marks base, long count, long idleNanos) throws IOException, InterruptedException {
        Marks now = Marks.ZERO;
        long start = System.nanoTime();
        long lastProgress = start;
        long peakRss = 0;
        while (System.nanoTime() - lastProgress < idleNanos) {
            Marks m = marks().minus(base);
            peakRss = Math.max(peakRss, ProcessStats.peakRssKb(process.pid()));
            if (m.committed() != now.committed() || m.applied() != now.applied()) {
                lastProgress = System.nanoTime();
            }
            now = m;
            if (now.committed() >= count && now.applied() >= count) {
                return new Progress(now, System.nanoTime(), peakRss, true);
            }
            Thread.sleep(System.nanoTime() - start < 1_000_000_000L ? 10 : 100);
        }
        return new Progress(now, lastProgress, peakRss, false);
    }

    /** Where {@link #awaitReadings} ended: the marks, the time of the last progress, the peak RSS in KB, whether all came. */
    record Progress(Marks marks, long atNanos, long peakRssKb, boolean complete) {
    }

    /** Stops the agent (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() {
        try {
            if (watch.isConnected()) {
                watch.disconnect().waitForCompletion(5_000);
            }
            watch.close();
        } catch (MqttException e) {
            System.out.println("    (closing the watch client: " + e.getMessage() + ")");
        }
        ProcessStats.stop(process, 20);
    }
}
