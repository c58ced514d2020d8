package org.campusedge.agent.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BenchHttpClient} against a real HTTP server (the JDK's com.sun.net.httpserver) and,
 * for what a correct server never sends, a scripted one on a plain server socket.
 */
class BenchHttpClientTest {

    private static final Map<String, String> HEADERS = Map.of("Authorization", "Bearer bench-token-007",
            "Content-Type", "application/json", "Content-Encoding", "gzip");

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** What the JDK server saw of one request. */
    record Seen(int remotePort, String method, String path, Map<String, List<String>> headers, byte[] body) { }

    @Test
    void sends_the_prebuilt_head_and_body_and_reuses_one_connection() throws Exception {
        List<Seen> seen = new ArrayList<>();
        HttpServer server = jdkServer(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (seen) {
                seen.add(new Seen(exchange.getRemoteAddress().getPort(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
            }
            respond(exchange, 200, ("{\"got\":" + body.length + "}").getBytes(StandardCharsets.UTF_8), false);
        });
        BenchHttpClient client = client(server.getAddress());

        for (int i = 1; i <= 5; i++) {
            BenchHttpClient.Response response = client.post(bytes(i * 1000));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("{\"got\":" + i * 1000 + "}");
        }

        assertThat(client.connects()).isEqualTo(1);
        assertThat(seen).hasSize(5);
        assertThat(seen).extracting(Seen::remotePort).containsOnly(seen.get(0).remotePort());
        assertThat(seen.get(4).method()).isEqualTo("POST");
        assertThat(seen.get(4).path()).isEqualTo("/v1/ingest");
        assertThat(seen.get(4).body()).isEqualTo(bytes(5000));
        // com.sun.net.httpserver normalises header names to "First-letter-capital" form.
        assertThat(seen.get(4).headers()).containsEntry("Authorization", List.of("Bearer bench-token-007"))
                .containsEntry("Content-encoding", List.of("gzip")).containsEntry("Content-type", List.of("application/json"))
                .containsEntry("Content-length", List.of("5000")).containsEntry("Accept-encoding", List.of("identity"))
                .containsEntry("Host", List.of("127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void reads_chunked_and_content_length_bodies_on_the_same_connection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        byte[] big = bytes(200_000); // more than the client's read buffer and many chunks
        HttpServer server = jdkServer(exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean chunked = n.incrementAndGet() % 2 == 1;
            respond(exchange, 200, big, chunked);
        });
        BenchHttpClient client = client(server.getAddress());

        for (int i = 0; i < 4; i++) {
            BenchHttpClient.Response response = client.post(bytes(10));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(big);
        }
        assertThat(client.connects()).isEqualTo(1);
    }

    @Test
    void inflates_a_gzip_response() throws Exception {
        byte[] text = "{\"stored\":500}".repeat(100).getBytes(StandardCharsets.UTF_8);
        HttpServer server = jdkServer(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            respond(exchange, 200, gzip(text), false);
        });

        assertThat(client(server.getAddress()).post(bytes(10)).body()).isEqualTo(text);
    }

    @Test
    void resends_after_503_until_the_server_accepts() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = jdkServer(exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            boolean busy = requests.incrementAndGet() <= 2;
            respond(exchange, busy ? 503 : 200, (busy ? "{\"error\":\"busy\"}" : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8), false);
        });
        BenchHttpClient client = client(server.getAddress());

        BenchHttpClient.Response response = client.post(bytes(321));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("{\"ok\":true}");
        assertThat(client.retriesAfter503()).isEqualTo(2);
        assertThat(bodies).hasSize(3).allSatisfy(b -> assertThat(b).isEqualTo(bytes(321)));
        assertThat(client.connects()).isEqualTo(1);
    }

    @Test
    void returns_other_errors_with_their_body() throws Exception {
        HttpServer server = jdkServer(exchange -> {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 401, "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8), false);
        });

        BenchHttpClient.Response response = client(server.getAddress()).post(bytes(1));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.text()).isEqualTo("{\"error\":\"unauthorized\"}");
    }

    @Test
    void opens_a_new_connection_after_a_response_with_connection_close() throws Exception {
        HttpServer server = jdkServer(exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Connection", "close");
            respond(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8), false);
        });
        BenchHttpClient client = client(server.getAddress());

        for (int i = 0; i < 3; i++) {
            assertThat(client.post(bytes(5)).status()).isEqualTo(200);
        }

        assertThat(client.connects()).isEqualTo(3);
        assertThat(client.resends()).isZero();
    }

    @Test
    void reconnects_and_resends_when_the_server_closed_the_connection_between_requests() throws Exception {
        ScriptedServer server = scripted(
                new Answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst", true),
                new Answer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond", false));
        BenchHttpClient client = client(server.address());

        assertThat(client.post(bytes(100)).text()).isEqualTo("first");
        server.awaitClosedConnections(1);
        assertThat(client.post(bytes(200)).text()).isEqualTo("second");

        assertThat(client.connects()).isEqualTo(2);
        assertThat(client.resends()).isEqualTo(1);
        assertThat(server.requests()).containsExactly(100, 200);
    }

    @Test
    void resends_when_the_server_closes_in_the_middle_of_an_answer() throws Exception {
        ScriptedServer server = scripted(
                new Answer("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\ncut short", true),
                new Answer("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\ncomplete", false));
        BenchHttpClient client = client(server.address());

        assertThat(client.post(bytes(100)).text()).isEqualTo("complete");
        assertThat(client.resends()).isEqualTo(1);
        assertThat(server.requests()).containsExactly(100, 100);
    }

    @Test
    void gives_up_when_the_server_closes_every_connection_before_answering() throws Exception {
        ScriptedServer server = scripted(new Answer("", true), new Answer("", true), new Answer("", true), new Answer("", true));
        BenchHttpClient client = client(server.address());

        assertThatThrownBy(() -> client.post(bytes(100))).isInstanceOf(IOException.class)
                .hasMessageContaining("POST /v1/ingest to 127.0.0.1:" + server.address().getPort())
                .hasMessageContaining("closed 4 times in a row before an answer");
        assertThat(client.resends()).isEqualTo(BenchHttpClient.MAX_RESENDS);
    }

    @Test
    void reads_a_body_delimited_by_the_end_of_the_connection() throws Exception {
        ScriptedServer server = scripted(new Answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true),
                new Answer("HTTP/1.1 204 No Content\r\n\r\n", false));
        BenchHttpClient client = client(server.address());

        assertThat(client.post(bytes(1)).text()).isEqualTo("until the end");
        BenchHttpClient.Response empty = client.post(bytes(1));

        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
        assertThat(client.connects()).isEqualTo(2);
        assertThat(client.resends()).isZero();
    }

    @Test
    void skips_an_interim_100_continue() throws Exception {
        ScriptedServer server = scripted(new Answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));

        BenchHttpClient.Response response = client(server.address()).post(bytes(1));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("{}");
    }

    @Test
    void a_malformed_status_line_is_a_clear_error() throws Exception {
        ScriptedServer server = scripted(new Answer("HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}", false));
        BenchHttpClient client = client(server.address());

        assertThatThrownBy(() -> client.post(bytes(1))).isInstanceOf(BenchHttpClient.MalformedResponseException.class)
                .hasMessage("POST /v1/ingest to 127.0.0.1:" + server.address().getPort() + ": malformed status line \"HTTP/1.1 2OO OK\"");
        assertThat(client.resends()).isZero();
    }

    @Test
    void refuses_what_a_correct_server_never_sends() throws Exception {
        String[] bad = {
            "ICY 200 OK\r\n\r\n",
            "HTTP/2 200\r\n\r\n",
            "HTTP/1.1 200 OK\n\n",
            "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\n folded: value\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n",
        };
        for (String response : bad) {
            ScriptedServer server = scripted(new Answer(response, false));
            BenchHttpClient client = client(server.address());
            assertThatThrownBy(() -> client.post(bytes(1))).as(response.length() > 80 ? response.substring(0, 80) : response)
                    .isInstanceOf(BenchHttpClient.MalformedResponseException.class)
                    .hasMessageStartingWith("POST /v1/ingest to 127.0.0.1:");
        }
    }

    @Test
    void close_closes_the_connection() throws Exception {
        ScriptedServer server = scripted(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false));
        BenchHttpClient client = client(server.address());
        client.post(bytes(1));

        client.close();

        server.awaitClientGone();
    }

    // --- helpers ---

    private BenchHttpClient client(InetSocketAddress server) {
        BenchHttpClient client = new BenchHttpClient(new InetSocketAddress("127.0.0.1", server.getPort()), "/v1/ingest", HEADERS,
                Duration.ofSeconds(10));
        open.add(client);
        return client;
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private HttpServer jdkServer(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/ingest", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    /** Answers with a Content-Length body, or a chunked one (the JDK server chunks when given length 0). */
    private static void respond(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int at = 0; at < body.length; at += 7_000) {
                out.write(body, at, Math.min(7_000, body.length - at));
                out.flush();
            }
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** One scripted answer: raw bytes, then keep the connection or close it. */
    record Answer(String raw, boolean closeAfter) { }

    private ScriptedServer scripted(Answer... answers) throws IOException {
        ScriptedServer server = new ScriptedServer(List.of(answers));
        open.add(server);
        return server;
    }

    /**
     * A server on a plain socket that reads each request (head and Content-Length body) and
     * writes the next scripted answer as is. One thread, named, serving connections in turn.
     */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ConcurrentLinkedQueue<Answer> script;
        private final List<Integer> requests = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger closed = new AtomicInteger();
        private final CountDownLatch clientGone = new CountDownLatch(1);
        private final Thread thread;

        ScriptedServer(List<Answer> answers) throws IOException {
            script = new ConcurrentLinkedQueue<>(answers);
            thread = new Thread(this::serve, "scripted-http-server");
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        /** Body lengths of the requests read, in order. */
        List<Integer> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        void awaitClosedConnections(int n) throws InterruptedException {
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); closed.get() < n; ) {
                assertThat(System.nanoTime()).as("server closed %d connections", n).isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        void awaitClientGone() throws InterruptedException {
            assertThat(clientGone.await(10, TimeUnit.SECONDS)).as("the client closed its connection").isTrue();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    while (true) {
                        int length = readRequest(in);
                        if (length < 0) {
                            clientGone.countDown();
                            break;
                        }
                        requests.add(length);
                        Answer answer = script.poll();
                        if (answer == null) {
                            break;
                        }
                        out.write(answer.raw().getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (answer.closeAfter()) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        throw new IllegalStateException("scripted server failed", e);
                    }
                } finally {
                    closed.incrementAndGet();
                }
            }
        }

        /** Reads one request and answers its body's length, or -1 if the client closed first. */
        private static int readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return -1;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(length);
            return length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the scripted server to stop", e);
            }
        }
    }
}
