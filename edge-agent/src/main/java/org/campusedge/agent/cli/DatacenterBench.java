package org.campusedge.agent.cli;

import org.campusedge.sync.uplink.Outbox;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.WireEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code campus-edge bench datacenter}: a data center in its own JVM at a capped heap, on
 * PostgreSQL and on SQLite, fed over HTTP by (1) many boxes uploading at once and (2) one box
 * draining a large backlog through the real uplink. Prints events/s, batch latency, the data
 * center's peak RSS, and checks every event arrived once: exit 1 if one did not, 0 otherwise (a
 * missed speed target is printed, not failed, as numbers on a shared machine vary).
 */
@Command(name = "datacenter", mixinStandardHelpOptions = true,
        description = "Many boxes uploading at once, and one box draining a backlog, into a capped-heap data center on PostgreSQL and SQLite.")
final class DatacenterBench implements Callable<Integer> {

    private static final String PAYLOAD = "{\"reader\":\"studio-door\",\"room\":\"studio-%d\",\"door\":\"main\",\"card\":\"0A00D6E3%02X\","
            + "\"format\":\"EM4100\",\"bits\":40,\"granted\":true,\"reason\":\"granted\",\"person\":\"S2024-%04d\"}";
    private static final Instant BOX_TIME = Instant.parse("2026-09-01T08:00:00Z");

    enum Store { POSTGRESQL, SQLITE }

    @Option(names = "--stores", split = ",", defaultValue = "postgresql,sqlite",
            description = "Back ends to measure, in order (default: ${DEFAULT-VALUE}).")
    List<Store> stores;

    @Option(names = "--boxes", defaultValue = "200", description = "Boxes uploading at once (default: ${DEFAULT-VALUE}).")
    int boxes;

    @Option(names = "--events-per-box", defaultValue = "15000",
            description = "Events each box uploads (default: ${DEFAULT-VALUE}: 3,000,000 in all, so the rate is a sustained one"
                    + " and the data center JVM's warm-up, a few seconds of compiling, does not dominate it).")
    int eventsPerBox;

    @Option(names = "--batch", defaultValue = "500", description = "Events per batch, as the agent's uplink.batch-size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--backlog", defaultValue = "1000000", description = "Events in the one box's backlog; 0 skips it (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--heap", defaultValue = "512m", description = "The data center JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--pg-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test",
            description = "PostgreSQL database; the bench works in a schema of its own, dropped afterwards (default: ${DEFAULT-VALUE}).")
    String pgUrl;

    @Option(names = "--pg-user", defaultValue = "postgres", description = "PostgreSQL role (default: ${DEFAULT-VALUE}).")
    String pgUser;

    @Option(names = "--pg-password-file", description = "File holding the role's password (default: none, trust authentication).")
    Path pgPasswordFile;

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder).")
    Path dir;

    @Option(names = "--datacenter-java-option", description = "Extra JVM option for the data center, e.g. -XX:StartFlightRecording=... (repeatable).")
    List<String> javaOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path where = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("campus-edge-bench-dc");
        System.out.printf(Locale.ROOT, "bench datacenter: %d boxes x %,d events in batches of %d at once; one box with a %,d-event backlog;"
                + " data center -Xmx%s; %d CPUs%n", boxes, eventsPerBox, batch, backlog, heap, Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        List<List<byte[]>> bodies = encodeUploads();
        System.out.printf(Locale.ROOT, "  %,d gzip JSON batches encoded up front (%.1f s, %,d KiB): the boxes' encoding is not measured%n",
                bodies.stream().mapToInt(List::size).sum(), (System.nanoTime() - t0) / 1e9,
                bodies.stream().flatMap(List::stream).mapToLong(b -> b.length).sum() / 1024);
        boolean exact = true;
        for (Store store : stores) {
            exact &= run(store, where, bodies);
        }
        return exact ? 0 : FailureHandler.CHECK_FAILED;
    }

    private boolean run(Store store, Path where, List<List<byte[]>> bodies) throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String schema = "ce_bench_" + run;
        String storage;
        if (store == Store.POSTGRESQL) {
            try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            storage = "storage: {type: postgresql, url: \"" + pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + "\", user: " + pgUser + (pgPasswordFile == null ? "" : ", password-file: \"" + pgPasswordFile.toAbsolutePath() + "\"")
                    + "}\n";
        } else {
            storage = "storage: {type: sqlite, path: center-" + run + ".db}\n";
        }
        System.out.printf(Locale.ROOT, "%s:%n", store == Store.POSTGRESQL ? "PostgreSQL (schema " + schema + ")" : "SQLite (WAL, synchronous=FULL)");
        DataCenterProcess center = DataCenterProcess.start(where, run, storage, boxes + 1, heap, javaOptions);
        boolean exact;
        try {
            exact = uploadAtOnce(center, bodies, store);
            if (backlog > 0) {
                exact &= drainBacklog(center);
            }
            System.out.printf(Locale.ROOT, "  data center peak RSS %,d MB (-Xmx%s)%n", center.peakRssKb() / 1024, heap);
        } finally {
            center.close();
            if (store == Store.POSTGRESQL) {
                try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
                            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relkind IN ('r', 'p')")) {
                        if (rs.next()) {
                            System.out.printf("  database size of the run: %s (tables and indexes)%n", rs.getString(1));
                        }
                    }
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
        return exact;
    }

    private Connection adminConnection() throws IOException, java.sql.SQLException {
        String password = pgPasswordFile == null ? "" : Files.readString(pgPasswordFile).strip();
        return DriverManager.getConnection(pgUrl, pgUser, password);
    }

    static String deviceId(int box) {
        return String.format(Locale.ROOT, "bench-box-%03d", box);
    }

    static String token(int box) {
        return String.format(Locale.ROOT, "bench-token-%03d-0123456789abcdef", box);
    }

    static WireEvent event(long seq, int box) {
        return new WireEvent(seq, seq % 5 == 0 ? "sensor.reading" : "access.decision", BOX_TIME.plusMillis(seq),
                String.format(Locale.ROOT, PAYLOAD, seq % 7, seq & 0xFF, box));
    }

    private List<List<byte[]>> encodeUploads() throws Exception {
        List<List<byte[]>> out = new ArrayList<>();
        for (int box = 0; box < boxes; box++) {
            List<byte[]> batches = new ArrayList<>();
            for (long from = 1; from <= eventsPerBox; from += batch) {
                List<WireEvent> events = new ArrayList<>(batch);
                for (long s = from; s < from + batch && s <= eventsPerBox; s++) {
                    events.add(event(s, box));
                }
                batches.add(JsonCodec.gzip(JsonCodec.encode(IngestBatch.of(deviceId(box), "priority", events))));
            }
            out.add(batches);
        }
        return out;
    }

    /**
     * Every box posts its batches one after another, all boxes at once, each over its own
     * keep-alive connection ({@link BenchHttpClient}: the load generator shares the machine's
     * cores with the data center, so it must cost little); answers whether every event arrived once.
     */
    private boolean uploadAtOnce(DataCenterProcess center, List<List<byte[]>> bodies, Store store) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", center.port());
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong stored = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicLong resends = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long[][] latencies = new long[bodies.size()][];
        List<Thread> threads = new ArrayList<>();
        for (int box = 0; box < bodies.size(); box++) {
            int b = box;
            latencies[b] = new long[bodies.get(b).size()];
            Thread t = new Thread(() -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", "Bearer " + token(b));
                headers.put("Content-Type", "application/json");
                headers.put("Content-Encoding", "gzip");
                try (BenchHttpClient http = new BenchHttpClient(server, "/v1/ingest", headers, Duration.ofSeconds(120))) {
                    try {
                        go.await();
                        for (int i = 0; i < bodies.get(b).size(); i++) {
                            long sent = System.nanoTime();
                            BenchHttpClient.Response response = http.post(bodies.get(b).get(i));
                            latencies[b][i] = System.nanoTime() - sent;
                            if (response.status() != 200) {
                                throw new IllegalStateException(deviceId(b) + ": HTTP " + response.status() + " " + response.text());
                            }
                            IngestAck ack = JsonCodec.decode(response.body(), IngestAck.class);
                            stored.addAndGet(ack.stored());
                            duplicates.addAndGet(ack.duplicates());
                        }
                    } finally {
                        retries.addAndGet(http.retriesAfter503());
                        resends.addAndGet(http.resends());
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, deviceId(b) + ": " + e);
                }
            }, "bench-box-" + box);
            threads.add(t);
            t.start();
        }
        CpuSample cpuBefore = CpuSample.take(center.pid());
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuSample cpuAfter = CpuSample.take(center.pid());
        if (failure.get() != null) {
            throw new IllegalStateException("an upload failed: " + failure.get());
        }
        long expected = (long) bodies.size() * eventsPerBox;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double rate = stored.get() / seconds;
        System.out.printf(Locale.ROOT, "  %d boxes at once over HTTP: %,.0f events/s stored (%,d events in %.2f s; %,d duplicates, %,d retries after 503,"
                        + " %,d resends after a closed connection)%n",
                bodies.size(), rate, stored.get(), seconds, duplicates.get(), retries.get(), resends.get());
        System.out.printf(Locale.ROOT, "    batch round trip p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
        System.out.printf("    %s%n", cpuAfter.since(cpuBefore, stored.get() + duplicates.get()));
        long held = center.verifyMarks(bodies.size(), "priority", eventsPerBox);
        boolean exact = stored.get() == expected && held == bodies.size();
        System.out.printf(Locale.ROOT, "    every event once: %s (%d of %d boxes' marks at %,d)%n", exact ? "yes" : "NO", held, bodies.size(), eventsPerBox);
        boolean met = rate >= 100_000;
        if (store == Store.POSTGRESQL) {
            System.out.printf(Locale.ROOT, "    target >= 100,000 events/s on PostgreSQL -> %s%n", met ? "met" : "NOT met");
        }
        return exact;
    }

    /** One box's uplink, as the agent runs it, drains a backlog it built up offline; answers whether every event arrived once. */
    private boolean drainBacklog(DataCenterProcess center) throws Exception {
        int box = boxes;
        BacklogOutbox outbox = new BacklogOutbox(box, backlog);
        try (UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), token(box), Duration.ofSeconds(60));
             Uplink uplink = new Uplink(outbox, client, UplinkOptions.defaults(deviceId(box)).withBatchSize(batch))) {
            CpuSample cpuBefore = CpuSample.take(center.pid());
            long start = System.nanoTime();
            uplink.start();
            uplink.drainedTo("priority", backlog).get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuSample cpuAfter = CpuSample.take(center.pid());
            String target = backlog < 1_000_000 ? "" : " -> target 1,000,000 in <= 20 s " + (seconds * 1_000_000 / backlog <= 20 ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "  one box draining a %,d-event backlog (uplink, batches of %d): %.1f s, %,.0f events/s%s%n",
                    backlog, batch, seconds, backlog / seconds, target);
            System.out.printf("    %s%n", cpuAfter.since(cpuBefore, backlog));
            boolean exact = center.verifyMarks(box, box + 1, "priority", backlog) == 1 && uplink.stats().eventsSent() == backlog;
            System.out.printf(Locale.ROOT, "    every event once: %s (%,d sent, %d failures)%n", exact ? "yes" : "NO",
                    uplink.stats().eventsSent(), uplink.stats().totalFailures());
            return exact;
        }
    }

    /** A box's outbox holding {@code size} unsent events, made on demand so the backlog costs no memory. */
    private static final class BacklogOutbox implements Outbox {
        private final int box;
        private final long size;
        private volatile long acked;

        BacklogOutbox(int box, long size) {
            this.box = box;
            this.size = size;
        }

        @Override
        public List<String> streams() {
            return List.of("priority");
        }

        @Override
        public long ackedSeq(String stream) {
            return acked;
        }

        @Override
        public long lastSeq(String stream) {
            return size;
        }

        @Override
        public List<WireEvent> after(String stream, long afterSeq, int max) {
            List<WireEvent> out = new ArrayList<>(max);
            for (long s = afterSeq + 1; s <= size && out.size() < max; s++) {
                out.add(event(s, box));
            }
            return out;
        }

        @Override
        public void acknowledge(String stream, long seq) {
            acked = Math.max(acked, seq);
        }
    }

    /**
     * Where the CPU went during a phase, from /proc (Linux only; zeros elsewhere): the whole
     * machine, the data center JVM, PostgreSQL's processes and this load-generating JVM.
     */
    private record CpuSample(long nanos, long machineBusy, long machineTotal, long center, long postgres, long self) {
        private static final double TICK = ProcessStats.TICKS_PER_SECOND;

        static CpuSample take(long centerPid) {
            long busy = 0;
            long total = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    busy += (i == 4 || i == 5) ? 0 : v; // idle, iowait
                }
            } catch (IOException | RuntimeException e) {
                return new CpuSample(System.nanoTime(), 0, 0, 0, 0, 0);
            }
            long postgres = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit) && comm(p).equals("postgres")) {
                        postgres += ProcessStats.cpuTicks(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                postgres = 0;
            }
            return new CpuSample(System.nanoTime(), busy, total, ProcessStats.cpuTicks(Path.of("/proc", Long.toString(centerPid))), postgres,
                    ProcessStats.cpuTicks(Path.of("/proc", Long.toString(ProcessHandle.current().pid()))));
        }

        /**
         * One line: cores used on average by each party between {@code before} and this sample,
         * and the load generator's CPU time per event it sent ({@code events}).
         */
        String since(CpuSample before, long events) {
            double seconds = (nanos - before.nanos) / 1e9;
            if (machineTotal == 0 || seconds <= 0) {
                return "CPU use unknown (no /proc)";
            }
            double cores = Runtime.getRuntime().availableProcessors();
            double busyShare = (double) (machineBusy - before.machineBusy) / Math.max(1, machineTotal - before.machineTotal);
            double c = (center - before.center) / TICK / seconds;
            double pg = (postgres - before.postgres) / TICK / seconds;
            double me = (self - before.self) / TICK / seconds;
            double other = Math.max(0, busyShare * cores - c - pg - me);
            return String.format(Locale.ROOT, "CPU: machine %.0f%% busy of %.0f cores; data center JVM %.2f, PostgreSQL %.2f, "
                    + "load generator %.2f, everything else %.2f cores; load generator %.2f us CPU per event",
                    busyShare * 100, cores, c, pg, me, other, (self - before.self) / TICK * 1e6 / Math.max(1, events));
        }

        private static String comm(Path proc) {
            try {
                return Files.readString(proc.resolve("comm")).strip();
            } catch (IOException e) {
                return "";
            }
        }

        }

    /** The data center under test, in its own JVM. */
    private static final class DataCenterProcess implements AutoCloseable {
        private final Process process;
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();
        private long peakRssKb;

        private DataCenterProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static DataCenterProcess start(Path where, String run, String storage, int devices, String heap, List<String> javaOptions)
                throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            StringBuilder yaml = new StringBuilder("http: {bind: [localhost], port: " + port + ", max-body: 64MiB}\n").append(storage)
                    .append("devices:\n");
            for (int d = 0; d < devices; d++) {
                yaml.append("  - {id: ").append(deviceId(d)).append(", school: Bench School ").append(d % 50).append(", token: ")
                        .append(token(d)).append("}\n");
            }
            Path cfg = where.resolve("datacenter-" + run + ".yaml");
            Files.writeString(cfg, yaml);
            Path log = where.resolve("datacenter-" + run + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
            command.addAll(javaOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CampusEdgeCli.class.getName(), "datacenter",
                    "--config", cfg.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            DataCenterProcess center = new DataCenterProcess(p, port);
            System.out.printf(Locale.ROOT, "  data center pid %d, log %s%n", p.pid(), log);
            URI health = URI.create("http://127.0.0.1:" + port + "/v1/health");
            for (long deadline = System.nanoTime() + 60_000_000_000L; ; ) {
                try {
                    if (center.http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return center;
                    }
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        center.close();
                        throw new IllegalStateException("the data center did not start within 60 s; see " + log);
                    }
                }
                Thread.sleep(100);
            }
        }

        int port() {
            return port;
        }

        long pid() {
            return process.pid();
        }

        long peakRssKb() {
            peakRssKb = Math.max(peakRssKb, ProcessStats.peakRssKb(process.pid()));
            return peakRssKb;
        }

        long verifyMarks(int boxes, String stream, long expected) throws Exception {
            return verifyMarks(0, boxes, stream, expected);
        }

        /** How many of boxes {@code from..to-1} the center acknowledges up to exactly {@code expected}. */
        long verifyMarks(int from, int to, String stream, long expected) throws Exception {
            peakRssKb();
            long ok = 0;
            for (int box = from; box < to; box++) {
                HttpRequest q = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/devices/" + deviceId(box) + "/streams"))
                        .header("Authorization", "Bearer " + token(box)).build();
                String body = http.send(q, HttpResponse.BodyHandlers.ofString()).body();
                if (JsonCodec.decode(body, org.campusedge.sync.wire.StreamMarks.class).acked(stream) == expected) {
                    ok++;
                }
            }
            return ok;
        }

        @Override
        public void close() {
            ProcessStats.stop(process, 20);
        }

    }
}
