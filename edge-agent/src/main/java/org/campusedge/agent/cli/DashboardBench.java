package org.campusedge.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.config.RoomType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code campus-edge bench dashboard}: the facility dashboard's two speed targets, on an agent in
 * its own JVM at a capped heap with sensors publishing through a real broker.
 * <ol>
 *   <li><b>Live stream under ingest</b>: sensor messages flat out with no dashboard open, then
 *   again with {@code --dashboards} event streams open (bearer token, as a wall display would
 *   hold one): the ingest rate of both runs (the stream must not slow ingest down), and the room
 *   updates each dashboard received per second while ingest ran.</li>
 *   <li><b>Grid ready</b>: a headless Chromium (over the DevTools protocol) logs in and loads the
 *   room grid {@code --page-loads} times, first idle, then while ingest and the open dashboards
 *   run; "ready" is the page's own performance mark {@code campus-edge:grid-ready}, set after the
 *   first frame with every room card is painted, timed from the start of navigation.</li>
 * </ol>
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Dashboard speed: room grid ready time in headless Chromium, live updates to many dashboards under full ingest.")
final class DashboardBench implements Callable<Integer> {

    private static final String READY_MARK = "campus-edge:grid-ready";
    private static final String PASSWORD = "bench-password-not-secret";

    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "MQTT broker (default: ${DEFAULT-VALUE}).")
    URI broker;

    @Option(names = "--rooms", defaultValue = "50", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--sensors-per-room", defaultValue = "4", description = "Sensors per room (default: ${DEFAULT-VALUE}).")
    int sensorsPerRoom;

    @Option(names = "--dashboards", defaultValue = "20", description = "Live-update streams open at once (default: ${DEFAULT-VALUE}).")
    int dashboards;

    @Option(names = "--messages", defaultValue = "400000", description = "Sensor messages per ingest run (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--warmup", defaultValue = "200000", description = "Messages first, unmeasured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rate", defaultValue = "0", description = "Publish at this many messages/s; 0 = flat out (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--live-update-every", defaultValue = "40ms",
            description = "The agent's http.live-update-every: how often a changed room goes out (default: ${DEFAULT-VALUE}).")
    String liveUpdateEvery;

    @Option(names = "--heap", defaultValue = "64m", description = "The agent JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--browser", defaultValue = "auto",
            description = "Chromium to time the grid with: a path, 'auto' (look in the usual places) or 'none' (default: ${DEFAULT-VALUE}).")
    String browser;

    @Option(names = "--page-loads", defaultValue = "5", description = "Grid loads per browser run (default: ${DEFAULT-VALUE}).")
    int pageLoads;

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder).")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Path where = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("campus-edge-bench-dashboard");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "bench/" + run + "/dash";
        System.out.printf(Locale.ROOT, "bench dashboard: %d rooms x %d sensors, %d dashboards, %,d messages per run, broker %s,"
                        + " agent -Xmx%s, live-update-every %s, %s%n", rooms, sensorsPerRoom, dashboards, messages, broker, heap,
                liveUpdateEvery, rate == 0 ? "flat out" : rate + " msg/s");
        Path agentDir = Files.createDirectories(where.resolve("agent-" + run));
        String token = "bench-token-" + UUID.randomUUID();
        Files.writeString(agentDir.resolve("bench.token"), token + "\n");
        UsersFile.put(agentDir.resolve("users"), new Account("bench", Role.VIEWER, PasswordHash.create(PASSWORD.toCharArray(), 10_000)));
        int port = BenchAgent.freePort();
        List<String> topics = new ArrayList<>();
        for (int s = 0; s < sensorsPerRoom; s++) {
            for (int r = 0; r < rooms; r++) {
                topics.add(prefix + "/r" + r + "/s" + s + "/env");
            }
        }
        try (BenchAgent agent = BenchAgent.start(agentDir, config(run, prefix, port), port, broker, prefix + "-status", heap, List.of())) {
            if (warmup > 0) {
                IngestRun warm = IngestRun.measure(agent, warmup,
                        () -> MqttLoad.publishRoundRobin(broker, "bench-dash-warm-" + run, topics, warmup, rate, this::payload),
                        3_000_000_000L);
                System.out.printf(Locale.ROOT, "  warm-up: %,d messages, %,d committed (not measured)%n", warmup, warm.committed());
            }
            Optional<Path> chromium = browserPath();
            Optional<String> cookie = Optional.empty();
            if (chromium.isPresent()) {
                cookie = Optional.of(login(agent));
                report("grid ready, idle", gridLoads(chromium.get(), agent, cookie.get()));
            }

            IngestRun alone = ingest(agent, topics, "bench-dash-alone-" + run);
            System.out.printf(Locale.ROOT, "  ingest, no dashboard open:      %,9.0f msg/s committed + applied (%,d of %,d; agent CPU %.1f µs/msg)%n"
                    + "    agent threads:%s%n", alone.rate(), alone.committed(), messages, alone.cpuMicrosPerMessage(), alone.threadsShare(6));

            List<Dashboard> open = new ArrayList<>();
            try {
                for (int i = 0; i < dashboards; i++) {
                    open.add(Dashboard.open(http, agent.url("/api/stream?topics=room,tap,alarm"), token, i));
                }
                awaitStreams(agent, dashboards);
                long[] before = open.stream().mapToLong(Dashboard::updates).toArray();
                long bytesBefore = open.stream().mapToLong(Dashboard::bytes).sum();
                long coalescedBefore = BenchAgent.sample(agent.metrics(), "campus_edge_http_stream_events_coalesced_total", "");
                IngestRun with = ingest(agent, topics, "bench-dash-with-" + run);
                long[] after = open.stream().mapToLong(Dashboard::updates).toArray();
                long bytes = open.stream().mapToLong(Dashboard::bytes).sum() - bytesBefore;
                double[] perDashboard = new double[open.size()];
                for (int i = 0; i < perDashboard.length; i++) {
                    perDashboard[i] = (after[i] - before[i]) / with.seconds();
                }
                Arrays.sort(perDashboard);
                double total = Arrays.stream(perDashboard).sum();
                String metrics = agent.metrics();
                System.out.printf(Locale.ROOT, "  ingest, %d dashboards open:     %,9.0f msg/s committed + applied (%,d of %,d; agent CPU %.1f µs/msg)"
                                + " = %.2f of the rate without dashboards%n    agent threads:%s%n", dashboards, with.rate(), with.committed(), messages,
                        with.cpuMicrosPerMessage(), with.rate() / alone.rate(), with.threadsShare(6));
                System.out.printf(Locale.ROOT, "  live updates while ingest ran:  %,.0f/s per dashboard (slowest %,.0f, fastest %,.0f),"
                                + " %,.0f/s to all %d, %.1f MB/s; %,d updates folded into a newer one for a client behind;"
                        + " %d streams ended (slow client), %d lost their connection%n",
                        total / perDashboard.length, perDashboard[0], perDashboard[perDashboard.length - 1], total, dashboards,
                        bytes / with.seconds() / 1e6,
                        BenchAgent.sample(metrics, "campus_edge_http_stream_events_coalesced_total", "") - coalescedBefore,
                        BenchAgent.sample(metrics, "campus_edge_http_streams_ended_total", "reason=\"slow_client\""),
                        open.stream().filter(Dashboard::failed).count());
                System.out.printf(Locale.ROOT, "  serving the dashboards cost the agent %.1f µs of CPU per ingested message (%.1f with, %.1f without)%n",
                        with.cpuMicrosPerMessage() - alone.cpuMicrosPerMessage(), with.cpuMicrosPerMessage(), alone.cpuMicrosPerMessage());
                if (chromium.isPresent()) {
                    // Its own ingest run, so the browser's CPU does not blur the stream figures above.
                    AtomicReference<List<Load>> loaded = new AtomicReference<>(List.of());
                    String c = cookie.get();
                    Thread browserRun = new Thread(() -> {
                        try {
                            loaded.set(gridLoads(chromium.get(), agent, c));
                        } catch (Exception e) {
                            System.out.println("  grid under load: " + e);
                        }
                    }, "bench-browser");
                    browserRun.start();
                    IngestRun third = ingest(agent, topics, "bench-dash-browser-" + run);
                    browserRun.join();
                    report("grid ready, under ingest (" + String.format(Locale.ROOT, "%,.0f", third.rate()) + " msg/s) + " + dashboards
                            + " dashboards", loaded.get());
                }
                System.out.printf(Locale.ROOT, "  agent peak RSS %,d MB%n", Math.max(alone.peakRssKb(), with.peakRssKb()) / 1024);
                System.out.printf(Locale.ROOT, "  targets: >= 1,000 updates/s to each of %d dashboards -> %s (slowest %,.0f/s);"
                                + " ingest keeps its rate with them open (>= 0.90) -> %s (%.2f)%n", dashboards,
                        perDashboard[0] >= 1000 ? "met" : "NOT met", perDashboard[0], with.rate() >= 0.9 * alone.rate() ? "met" : "NOT met",
                        with.rate() / alone.rate());
            } finally {
                for (Dashboard d : open) {
                    d.close();
                }
            }
        }
        return 0;
    }

    private static void report(String what, List<Load> loads) {
        if (loads.isEmpty()) {
            System.out.printf(Locale.ROOT, "  %s: no measurement%n", what);
            return;
        }
        List<Load> sorted = new ArrayList<>(loads);
        sorted.sort(java.util.Comparator.comparingDouble(Load::ready));
        Load median = sorted.get(sorted.size() / 2);
        double worst = sorted.get(sorted.size() - 1).ready();
        System.out.printf(Locale.ROOT, "  %s: first load %.0f ms, median %.0f ms (page parsed %.0f, rooms fetched %.0f), worst %.0f ms"
                        + " of %d loads (target <= 1,000 ms -> %s)%n", what, loads.get(0).ready(), median.ready(),
                median.domContentLoaded(), median.roomsFetched(), worst, sorted.size(), worst <= 1000 ? "met" : "NOT met");
    }

    private Optional<Path> browserPath() {
        if (browser.equals("none")) {
            return Optional.empty();
        }
        Optional<Path> p = browser.equals("auto") ? HeadlessChromium.find() : Optional.of(Path.of(browser));
        if (p.isEmpty()) {
            System.out.println("  no Chromium found (apt install chromium, or --browser PATH): the grid-ready time is not measured");
        }
        return p;
    }

    private String config(String run, String prefix, int port) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("device: {id: bench-").append(run).append(", school: Bench School, time-zone: Asia/Shanghai}\nrooms:\n");
        RoomType[] types = RoomType.values();
        for (int r = 0; r < rooms; r++) {
            yaml.append("  - {id: r").append(r).append(", name: \"Room ").append(r + 1).append("\", type: ")
                    .append(types[r % types.length].wireName()).append(", capacity: 30}\n");
        }
        yaml.append("storage: {path: agent/journal.db}\n")
                .append("http:\n  bind: [localhost]\n  port: ").append(port).append("\n  metrics: open\n  users-file: users\n")
                .append("  tokens: [{name: bench, role: viewer, token-file: bench.token}]\n")
                .append("  live-update-every: ").append(liveUpdateEvery).append('\n')
                .append("mqtt: {url: \"").append(broker).append("\", status-topic: \"").append(prefix).append("-status\"}\n")
                .append("alarms:\n  - {id: hot, metric: temperature, above: 35, for: 1m}\n")
                .append("sensors:\n");
        for (int r = 0; r < rooms; r++) {
            yaml.append("  - {preset: json, topic: \"").append(prefix).append("/r").append(r).append("/+/env\", room: r").append(r)
                    .append("}\n");
        }
        return yaml.toString();
    }

    /**
     * Message {@code i} (to topic {@code i % topics}): one reading, a temperature from the even
     * sensors of each room and a humidity from the odd ones, changing with every message so every
     * room changes all the time.
     */
    private byte[] payload(int i) {
        int sensor = (i % (rooms * sensorsPerRoom)) / rooms;
        String json = sensor % 2 == 0 ? "{\"temperature\":" + (18 + (i % 100) / 10.0) + "}" : "{\"humidity\":" + (40 + (i % 37)) + "}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    /** Publishes {@code messages} and waits until the agent has committed and applied them (or stopped making progress). */
    private IngestRun ingest(BenchAgent agent, List<String> topics, String clientId) throws Exception {
        return IngestRun.measure(agent, messages,
                () -> MqttLoad.publishRoundRobin(broker, clientId, topics, messages, rate, this::payload), 10_000_000_000L);
    }

    private static void awaitStreams(BenchAgent agent, int n) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (BenchAgent.sample(agent.metrics(), "campus_edge_http_streams_open", "") < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " streams did not open within 30 s; see " + agent.log());
            }
            Thread.sleep(50);
        }
    }

    /** Logs in as the bench account; the session cookie ("name=value"). */
    private String login(BenchAgent agent) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(agent.url("/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bench\",\"password\":\"" + PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("log-in failed: " + r.statusCode() + " " + r.body());
        }
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow(() -> new IllegalStateException("log-in set no cookie"));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /**
     * Loads the grid {@code pageLoads} times in a fresh headless Chromium (the first load with an
     * empty cache); each time, the milliseconds from the start of navigation to the ready mark,
     * after checking that every room's card is on the page.
     */
    /** One page load, in ms from navigation start: grid painted, DOMContentLoaded, /api/rooms answered. */
    private record Load(double ready, double domContentLoaded, double roomsFetched) {
    }

    private List<Load> gridLoads(Path binary, BenchAgent agent, String cookie) throws Exception {
        List<Load> times = new ArrayList<>();
        try (HeadlessChromium chromium = HeadlessChromium.launch(binary)) {
            String page = chromium.newPage();
            int eq = cookie.indexOf('=');
            chromium.call(page, "Network.setCookie", HeadlessChromium.params().put("name", cookie.substring(0, eq))
                    .put("value", cookie.substring(eq + 1)).put("url", agent.url("/").toString()));
            for (int i = 0; i < pageLoads; i++) {
                chromium.call(page, "Page.navigate", HeadlessChromium.params().put("url", agent.url("/").toString()));
                JsonNode ready = chromium.evaluate(page, """
                        new Promise((resolve, reject) => {
                          const started = Date.now();
                          const check = () => {
                            if (document.readyState !== 'loading' && location.pathname === '/') {
                              const mark = performance.getEntriesByName('%s')[0];
                              if (mark) {
                                const nav = performance.getEntriesByType('navigation')[0];
                                const rooms = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/api/rooms'))[0];
                                resolve({ ms: mark.startTime, cards: document.querySelectorAll('.grid-item').length,
                                  dom: nav ? nav.domContentLoadedEventEnd : -1, rooms: rooms ? rooms.responseEnd : -1 });
                                return;
                              }
                            }
                            if (Date.now() - started > 20000) {
                              reject(new Error('no grid after 20 s at ' + location.href));
                              return;
                            }
                            setTimeout(check, 5);
                          };
                          check();
                        })""".formatted(READY_MARK));
                int cards = ready.path("cards").asInt();
                if (cards != rooms) {
                    throw new IllegalStateException("the grid showed " + cards + " room cards, not " + rooms);
                }
                times.add(new Load(ready.path("ms").asDouble(), ready.path("dom").asDouble(), ready.path("rooms").asDouble()));
            }
        }
        return times;
    }

    /** One open live-update stream that counts what it receives, on a thread of its own. */
    private static final class Dashboard implements AutoCloseable {
        private final AtomicLong updates = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicBoolean failed = new AtomicBoolean();
        private final InputStream body;

        private Dashboard(InputStream body, int n) {
            this.body = body;
            Thread t = new Thread(this::read, "bench-dashboard-" + n);
            t.setDaemon(true);
            t.start();
        }

        static Dashboard open(HttpClient http, URI url, String token, int n) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new IllegalStateException("dashboard " + n + ": /api/stream answered " + r.statusCode());
            }
            return new Dashboard(r.body(), n);
        }

        /**
         * Counts events as a browser's EventSource would see them, on the raw bytes: every line
         * starting {@code event:} begins one (decoding 25 MB/s of JSON into strings here would
         * cost the machine more than the agent spends sending it).
         */
        private void read() {
            byte[] buf = new byte[1 << 16];
            byte[] marker = "event:".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            boolean lineStart = true;
            try (InputStream in = body) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    bytes.addAndGet(n);
                    for (int i = 0; i < n; i++) {
                        byte b = buf[i];
                        if (lineStart || matched > 0) {
                            if (b == marker[matched]) {
                                matched++;
                                lineStart = false;
                                if (matched == marker.length) {
                                    updates.incrementAndGet();
                                    matched = 0;
                                }
                                continue;
                            }
                            matched = 0;
                        }
                        lineStart = b == '\n';
                    }
                }
            } catch (IOException e) {
                failed.set(true);
            }
        }

        long updates() {
            return updates.get();
        }

        long bytes() {
            return bytes.get();
        }

        boolean failed() {
            return failed.get();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
