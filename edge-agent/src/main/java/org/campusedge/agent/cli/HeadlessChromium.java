package org.campusedge.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (a JSON-RPC over one WebSocket,
 * https://chromedevtools.github.io/devtools-protocol/), with the JDK's own WebSocket client: for
 * {@code bench dashboard}, which times the dashboard in a real browser without a test-only driver.
 * Only what the benchmark needs: open a page, set a cookie, navigate, evaluate a script.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    /** Calls waiting for their replies, by id; shared with the socket's listener. */
    private final Map<Long, CompletableFuture<JsonNode>> pending;

    private HeadlessChromium(Process process, Path profile, WebSocket socket, Map<Long, CompletableFuture<JsonNode>> pending) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.pending = pending;
    }

    /** Where Chromium's own output goes: beside the profile, so deleting the profile cannot race its writes. */
    private static Path logOf(Path profile) {
        return profile.resolveSibling(profile.getFileName() + ".log");
    }

    /** The first Chromium or Chrome found in the usual places. */
    static Optional<Path> find() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts {@code binary} headless with a fresh profile and connects to its DevTools endpoint. */
    static HeadlessChromium launch(Path binary) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("campus-edge-chromium");
        // As root (in CI, in a container) Chromium refuses to start without --no-sandbox; the other
        // flags keep it from calling home, which a closed network answers slowly.
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--window-size=1280,900",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(logOf(profile).toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> lines = List.of();
            while (lines.size() < 2) {
                if (!p.isAlive()) {
                    throw new IOException(binary + " exited with " + p.exitValue() + " before it opened its DevTools port");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(binary + " did not open its DevTools port within 30 s");
                }
                Thread.sleep(50);
                if (Files.exists(portFile)) {
                    lines = Files.readAllLines(portFile);
                }
            }
            URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(endpoint, new Replies(pending)).get(10, TimeUnit.SECONDS);
            return new HeadlessChromium(p, profile, ws, pending);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("cannot connect to " + binary + "'s DevTools endpoint: " + e, e);
        }
    }

    /** Sends one command (to the browser if {@code sessionId} is null, else to that page) and waits for its result. */
    JsonNode call(String sessionId, String method, ObjectNode params) throws IOException, InterruptedException {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new IOException(method + ": " + answer.get("error"));
            }
            return answer.path("result");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + ": no answer from Chromium: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Opens a new blank tab and attaches to it; the answer is the page's session id for {@link #call}. */
    String newPage() throws IOException, InterruptedException {
        String target = call(null, "Target.createTarget", params().put("url", "about:blank")).path("targetId").asText();
        return call(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true)).path("sessionId").asText();
    }

    /** Evaluates {@code expression} in the page, awaiting it if it is a promise; its value as JSON. */
    JsonNode evaluate(String page, String expression) throws IOException, InterruptedException {
        JsonNode r = call(page, "Runtime.evaluate", params().put("expression", expression).put("awaitPromise", true)
                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("script failed: " + r.path("exceptionDetails").path("exception").path("description").asText(
                    r.path("exceptionDetails").toString()));
        }
        return r.path("result").path("value");
    }

    @Override
    public void close() {
        try {
            call(null, "Browser.close", null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // It is going anyway.
        }
        socket.abort();
        ProcessStats.stop(process, 10);
        try {
            Files.deleteIfExists(logOf(profile));
        } catch (IOException e) {
            // A log file left behind in the temporary folder.
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind.
        }
    }

    /** Collects each message (possibly in parts) and completes the call it answers; events are ignored. */
    private static final class Replies implements WebSocket.Listener {
        private final Map<Long, CompletableFuture<JsonNode>> pending;
        private final StringBuilder text = new StringBuilder();

        Replies(Map<Long, CompletableFuture<JsonNode>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> f = pending.get(message.get("id").asLong());
                        if (f != null) {
                            f.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // Not JSON: nothing waits for it.
                } finally {
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
