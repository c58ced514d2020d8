package org.campusedge.agent.cli;

import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.campusedge.agent.journal.Journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code campus-edge bench mqtt}: sensor messages from a real MQTT broker into the agent's
 * committed journal and live room state, with the agent in its own JVM at a capped heap, next to
 * two baselines measured in the same run — SQLite's batched-insert rate for the same rows, and
 * the broker's delivery rate to a bare subscriber that only counts — and the ratios.
 */
@Command(name = "mqtt", mixinStandardHelpOptions = true,
        description = "MQTT -> journal + room state throughput of a capped-heap agent, with SQLite and bare-subscriber baselines.")
final class MqttBench implements Callable<Integer> {

    private static final Pattern SAMPLE = Pattern.compile("^(\\S+?)(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883",
            description = {"Broker (default: ${DEFAULT-VALUE}), or 'embedded': the baselines run against an embedded",
                "broker in this process and the agent against its own embedded broker, in its capped heap."})
    String brokerOption;

    private URI broker;
    private boolean embedded;

    @Option(names = "--messages", defaultValue = "500000", description = "Messages per phase (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--rooms", defaultValue = "10", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--sensors-per-room", defaultValue = "20", description = "Sensors per room (default: ${DEFAULT-VALUE}).")
    int sensorsPerRoom;

    @Option(names = "--heap", defaultValue = "64m", description = "The agent JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--rate", defaultValue = "0",
            description = "Publish at this many messages/s; 0 publishes as fast as the socket takes them (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--warmup", defaultValue = "200000",
            description = "Messages published to the agent first, unmeasured, so the JIT has compiled the hot path"
                    + " (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder).")
    Path dir;

    @Option(names = "--agent-java-option", description = "Extra JVM option for the agent, e.g. -XX:StartFlightRecording=... (repeatable).")
    List<String> agentJavaOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        embedded = brokerOption.equals("embedded");
        org.campusedge.agent.broker.EmbeddedBroker baselineBroker = null;
        if (embedded) {
            baselineBroker = org.campusedge.agent.broker.EmbeddedBroker.start(
                    org.campusedge.agent.broker.EmbeddedBrokerConfig.defaults().withPort(0)
                            .withBindHosts(List.of("127.0.0.1")));
            broker = URI.create("tcp://127.0.0.1:" + baselineBroker.port());
        } else {
            broker = URI.create(brokerOption);
        }
        try {
            return measure();
        } finally {
            if (baselineBroker != null) {
                baselineBroker.close();
            }
        }
    }

    private int measure() throws Exception {
        Path where = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("campus-edge-bench-mqtt");
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.printf(Locale.ROOT, "bench mqtt: %,d messages per phase, %d rooms x %d sensors, broker %s, agent -Xmx%s, %s%n",
                messages, rooms, sensorsPerRoom, embedded ? "embedded (baselines: " + broker + " in this JVM; agent: its own)"
                        : broker, heap, rate == 0 ? "flat out" : rate + " msg/s");

        double sqlite = sqliteBaseline(where.resolve("baseline.db"));
        System.out.printf(Locale.ROOT, "  raw SQLite batched insert (WAL, synchronous=FULL, 2000 rows/txn): %,.0f rows/s%n", sqlite);

        double raw = rawSubscriber("bench/" + run + "/raw");
        System.out.printf(Locale.ROOT, "  raw broker -> raw-socket subscriber that only counts (QoS 0): %,.0f msg/s%n", raw);
        double bare = bareSubscriber("bench/" + run + "/bare");
        System.out.printf(Locale.ROOT, "  raw broker -> bare Paho subscriber (QoS 0):                    %,.0f msg/s%n", bare);

        AgentRun agent = agentRun(where, run);
        System.out.printf(Locale.ROOT, "  broker -> agent (-Xmx%s) -> committed journal + room state:    %,.0f msg/s%n", heap, agent.rate);
        System.out.printf(Locale.ROOT, "    readings committed %,d of %,d (the rest dropped by the broker for a slow subscriber or by"
                + " ingest: %,d), rejected %,d; agent peak RSS %,d MB; agent CPU %.1f s = %.1f µs per committed message%n",
                agent.committed, messages, agent.dropped, agent.rejected, agent.peakRssKb / 1024, agent.cpuSeconds,
                agent.committed == 0 ? 0 : agent.cpuSeconds * 1e6 / agent.committed);
        System.out.printf(Locale.ROOT, "    agent CPU by thread, µs per committed message:");
        agent.threadTicks().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, " %s %.1f;", e.getKey(),
                        agent.committed == 0 ? 0 : e.getValue() / ProcessStats.TICKS_PER_SECOND * 1e6 / agent.committed));
        System.out.println();
        System.out.printf(Locale.ROOT, "  ratios: agent / raw SQLite = %.2f, agent / raw-socket subscriber = %.2f,"
                + " agent / bare Paho subscriber = %.2f%n", agent.rate / sqlite, agent.rate / raw, agent.rate / bare);
        System.out.printf(Locale.ROOT, "  target: >= 50,000 msg/s sustained -> %s%n", agent.rate >= 50_000 ? "met" : "NOT met");
        return 0;
    }

    private String topic(String prefix, int i) {
        int room = i % rooms;
        int sensor = (i / rooms) % sensorsPerRoom;
        return prefix + "/r" + room + "/s" + sensor + "/env";
    }

    private static byte[] payload(int i) {
        return ("{\"temperature\":" + (18 + (i % 100) / 10.0) + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The agent's events table, the same rows, committed 2000 per transaction. */
    private double sqliteBaseline(Path file) throws Exception {
        Files.deleteIfExists(file);
        org.sqlite.SQLiteConfig c = new org.sqlite.SQLiteConfig();
        c.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file, c.toProperties())) {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE events (stream TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,"
                        + " occurred_us INTEGER NOT NULL, recorded_us INTEGER NOT NULL, room TEXT, payload TEXT NOT NULL,"
                        + " PRIMARY KEY (stream, seq)) WITHOUT ROWID");
                // The agent's indexes (journal schema 4): partial, without the raw readings.
                s.execute("CREATE INDEX events_by_time ON events (occurred_us) WHERE " + Journal.NOT_READINGS);
                s.execute("CREATE INDEX events_by_room ON events (room, occurred_us) WHERE " + Journal.NOT_READINGS);
            }
            db.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement ins = db.prepareStatement("INSERT INTO events VALUES (?,?,?,?,?,?,?)")) {
                for (int i = 1; i <= messages; i++) {
                    long now = System.currentTimeMillis() * 1000;
                    ins.setString(1, "readings");
                    ins.setLong(2, i);
                    ins.setString(3, "sensor.reading");
                    ins.setLong(4, now);
                    ins.setLong(5, now);
                    ins.setString(6, "r" + (i % rooms));
                    ins.setString(7, "{\"room\":\"r" + (i % rooms) + "\",\"sensor\":\"s" + (i % sensorsPerRoom)
                            + "\",\"metric\":\"temperature\",\"value\":" + (18 + (i % 100) / 10.0) + ",\"unit\":\"°C\","
                            + "\"topic\":\"" + topic("bench/x", i) + "\"}");
                    ins.addBatch();
                    if (i % 2000 == 0 || i == messages) {
                        ins.executeBatch();
                        db.commit();
                    }
                }
            }
            return messages / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Delivery to a raw-socket subscriber that only parses packet lengths: what the broker can do. */
    private double rawSubscriber(String prefix) throws Exception {
        try (MqttLoad sub = MqttLoad.connect(broker, "bench-raw-" + prefix.hashCode())) {
            sub.subscribe(prefix + "/#");
            AtomicLong lastAt = new AtomicLong();
            long[] got = new long[1];
            Thread reader = new Thread(() -> {
                try {
                    got[0] = sub.countPublishes(messages, n -> lastAt.set(System.nanoTime()));
                } catch (IOException e) {
                    System.out.println("    raw subscriber: " + e.getMessage());
                }
            }, "bench-raw-subscriber");
            reader.start();
            long start = System.nanoTime();
            publishAll(prefix, "bench-pub-raw-" + prefix.hashCode());
            reader.join();
            if (got[0] < messages) {
                System.out.printf(Locale.ROOT, "    raw subscriber received %,d of %,d%n", got[0], messages);
            }
            return got[0] / ((lastAt.get() - start) / 1e9);
        }
    }

    /** Delivery to a Paho subscriber that does nothing but count. */
    private double bareSubscriber(String prefix) throws Exception {
        MqttAsyncClient sub = new MqttAsyncClient(broker.toString(), "bench-bare-" + prefix.hashCode(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        // Paho as the agent runs it: with a buffered socket (see BufferedSocketFactory).
        o.setSocketFactory(org.campusedge.agent.sensors.MqttOptions.bufferedSockets());
        sub.connect(o).waitForCompletion(10_000);
        AtomicLong received = new AtomicLong();
        AtomicLong lastAt = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        IMqttMessageListener count = (t, m) -> {
            lastAt.set(System.nanoTime());
            if (received.incrementAndGet() == messages) {
                all.countDown();
            }
        };
        sub.subscribe(prefix + "/#", 0, count).waitForCompletion(10_000);
        try {
            long start = System.nanoTime();
            publishAll(prefix, "bench-pub-bare-" + prefix.hashCode());
            waitFor(all, received);
            long got = received.get();
            if (got < messages) {
                System.out.printf(Locale.ROOT, "    bare subscriber received %,d of %,d (the broker dropped the rest)%n", got, messages);
            }
            return got / ((lastAt.get() - start) / 1e9);
        } finally {
            sub.disconnect().waitForCompletion(5_000);
            sub.close();
        }
    }

    /** Waits until the latch opens or nothing arrives for five seconds. */
    private static void waitFor(CountDownLatch latch, AtomicLong progress) throws InterruptedException {
        long last = -1;
        while (!latch.await(5, TimeUnit.SECONDS)) {
            long now = progress.get();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    private void publishAll(String prefix, String clientId) throws IOException, InterruptedException {
        publishAll(broker, prefix, clientId, messages);
    }

    /** Connects, retrying while the agent (and its embedded broker) starts. */
    private static void connectWithin(MqttAsyncClient client, long millis, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            try {
                client.connect().waitForCompletion(10_000);
                return;
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot reach the agent's broker: " + e.getMessage() + "; see " + log, e);
                }
                Thread.sleep(200);
            }
        }
    }

    private void publishAll(URI target, String prefix, String clientId, int count) throws IOException, InterruptedException {
        List<String> topics = new ArrayList<>(rooms * sensorsPerRoom);
        for (int i = 0; i < rooms * sensorsPerRoom; i++) {
            topics.add(topic(prefix, i));
        }
        try (MqttLoad load = MqttLoad.connect(target, clientId)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                load.publish(topics.get(i % topics.size()), payload(i));
                if (rate > 0 && i % 500 == 499) {
                    load.flush();
                    long due = start + (long) ((i + 1) * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            load.flush();
        }
    }

    private record AgentRun(double rate, long committed, long dropped, long rejected, long peakRssKb, double cpuSeconds,
                            Map<String, Long> threadTicks) {
    }

    /**
     * Waits until the agent has committed and applied what it will of the warm-up (nothing new
     * for two seconds, or all of it); returns the readings stream's committed and applied marks
     * and the ingest's dropped count.
     */
    private static long[] settle(HttpClient http, URI metrics, int published) throws Exception {
        long[] last = {-1, -1, 0};
        long since = System.nanoTime();
        while (System.nanoTime() - since < 2_000_000_000L) {
            String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            long[] now = {sample(text, "campus_edge_journal_last_seq", "stream=\"readings\""),
                    sample(text, "campus_edge_rooms_mark", "stream=\"readings\""),
                    sample(text, "campus_edge_mqtt_dropped_total", "")};
            if (now[0] >= published && now[1] >= published) {
                return now;
            }
            if (now[0] != last[0] || now[1] != last[1]) {
                last = now;
                since = System.nanoTime();
            }
            Thread.sleep(200);
        }
        return last;
    }

    private AgentRun agentRun(Path where, String run) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String prefix = "bench/" + run + "/agent";
        StringBuilder yaml = new StringBuilder();
        yaml.append("device: {id: bench-").append(run).append(", school: Bench School, time-zone: Asia/Shanghai}\nrooms:\n");
        for (int r = 0; r < rooms; r++) {
            yaml.append("  - {id: r").append(r).append(", type: maker-space}\n");
        }
        int mqttPort = 0;
        if (embedded) {
            try (ServerSocket s = new ServerSocket(0)) {
                mqttPort = s.getLocalPort();
            }
        }
        URI agentBroker = embedded ? URI.create("tcp://127.0.0.1:" + mqttPort) : broker;
        yaml.append("storage: {path: agent/journal.db}\n")
                .append("http: {bind: [localhost], port: ").append(port).append("}\n");
        if (embedded) {
            yaml.append("broker: {bind: [127.0.0.1], port: ").append(mqttPort).append("}\n");
        }
        yaml.append("mqtt: {url: \"").append(embedded ? "embedded" : broker.toString()).append("\", status-topic: \"")
                .append(prefix).append("-status\"}\n")
                .append("alarms:\n  - {id: hot, metric: temperature, above: 35, for: 1m}\n")
                .append("sensors:\n");
        for (int r = 0; r < rooms; r++) {
            yaml.append("  - {preset: json, topic: \"").append(prefix).append("/r").append(r).append("/+/env\", room: r").append(r)
                    .append("}\n");
        }
        Path agentDir = Files.createDirectories(where.resolve("agent-" + run));
        Path cfg = agentDir.resolve("agent.yaml");
        Files.writeString(cfg, yaml);
        Path log = agentDir.resolve("agent.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(agentJavaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CampusEdgeCli.class.getName(), "agent",
                "--config", cfg.toString()));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.printf(Locale.ROOT, "    agent pid %d, log %s%n", agent.pid(), log);
        MqttAsyncClient watch = new MqttAsyncClient(agentBroker.toString(), "bench-watch-" + run, new MemoryPersistence());
        try {
            connectWithin(watch, 60_000, log);
            CountDownLatch online = new CountDownLatch(1);
            watch.subscribe(prefix + "-status", 1, (t, m) -> {
                if (new String(m.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                    online.countDown();
                }
            }).waitForCompletion(10_000);
            if (!online.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the agent did not come online within 60 s; see " + log);
            }
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
            long[] base = {0, 0, 0};
            if (warmup > 0) {
                publishAll(agentBroker, prefix, "bench-pub-warm-" + run, warmup);
                base = settle(http, metrics, warmup);
                System.out.printf(Locale.ROOT, "    warm-up: %,d messages published, %,d committed (not measured)%n", warmup, base[0]);
            }
            long start = System.nanoTime();
            double cpuAtStart = ProcessStats.cpuSeconds(agent.pid());
            Map<String, Long> threadsAtStart = ProcessStats.threadTicks(agent.pid());
            publishAll(agentBroker, prefix, "bench-pub-agent-" + run, messages);
            long committed = 0;
            long applied = 0;
            long lastProgress = System.nanoTime();
            long doneAt = 0;
            long peakRss = 0;
            while (System.nanoTime() - lastProgress < 10_000_000_000L) {
                String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                long c = sample(text, "campus_edge_journal_last_seq", "stream=\"readings\"") - base[0];
                long a = sample(text, "campus_edge_rooms_mark", "stream=\"readings\"") - base[1];
                peakRss = Math.max(peakRss, ProcessStats.peakRssKb(agent.pid()));
                if (c != committed || a != applied) {
                    committed = c;
                    applied = a;
                    lastProgress = System.nanoTime();
                }
                if (committed >= messages && applied >= messages) {
                    doneAt = System.nanoTime();
                    break;
                }
                Thread.sleep(200); // polling /metrics costs the agent CPU too: not too often
            }
            double cpu = ProcessStats.cpuSeconds(agent.pid()) - cpuAtStart;
            Map<String, Long> threads = ProcessStats.threadTicks(agent.pid());
            threads.replaceAll((name, ticks) -> ticks - threadsAtStart.getOrDefault(name, 0L));
            String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            long dropped = sample(text, "campus_edge_mqtt_dropped_total", "") - base[2];
            long rejected = 0;
            Matcher m = SAMPLE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("campus_edge_mqtt_rejected_total")) {
                    rejected += (long) Double.parseDouble(m.group(3));
                }
            }
            double seconds = ((doneAt == 0 ? lastProgress : doneAt) - start) / 1e9;
            return new AgentRun(Math.min(committed, applied) / seconds, committed, dropped, rejected, peakRss, cpu, threads);
        } finally {
            watch.disconnect().waitForCompletion(5_000);
            watch.close();
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private static long sample(String text, String name, String labels) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name) && (labels.isEmpty() || (m.group(2) != null && m.group(2).contains(labels)))) {
                return (long) Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }

}
