package org.campusedge.sync.http;

import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpServerIT {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<String> handlerThread = new AtomicReference<>();

    private Router router() {
        return new Router()
                .get("/hello/{name}", (req, p) -> {
                    handlerThread.set(Thread.currentThread().getName());
                    return HttpReply.json(200, "{\"hello\":\"" + p.get("name") + "\",\"q\":\"" + req.queryParam("q").orElse("") + "\"}");
                })
                .get("/big", (req, p) -> HttpReply.text(200, "campus ".repeat(1_000)))
                .post("/echo", (req, p) -> HttpReply.text(200, req.bodyText())
                        .withHeader("X-Encoding-Seen", String.valueOf(req.header("content-encoding"))))
                .get("/fail", (req, p) -> {
                    failures.incrementAndGet();
                    throw new IllegalStateException("boom");
                });
    }

    private HttpServer start(String name, List<String> hosts, int port, int maxBody) throws HttpBindException {
        HttpServer server = new HttpServer(name, hosts, port, maxBody, router());
        servers.add(server);
        server.start();
        return server;
    }

    private HttpServer start() throws HttpBindException {
        return start("test", List.of("127.0.0.1"), 0, 1024);
    }

    @AfterEach
    void closeServers() {
        servers.forEach(HttpServer::close);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }

    @Test
    void routes_requests_off_the_event_loop_and_answers_404_and_405() throws Exception {
        HttpServer server = start();
        String base = "http://127.0.0.1:" + server.port();

        HttpResponse<String> hello = get(base + "/hello/world?q=a%20b");
        HttpResponse<String> missing = get(base + "/nope");
        HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(URI.create(base + "/echo")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("{\"hello\":\"world\",\"q\":\"a b\"}");
        assertThat(hello.headers().firstValue("content-type")).contains("application/json");
        assertThat(handlerThread.get()).startsWith("test-worker-");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\":\"not_found\"");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).contains("POST");
        assertThat(server.stats()).isEqualTo(new HttpServerStats(3, 1, 2, 0, 0, 0));
    }

    @Test
    void answers_a_malformed_request_line_with_400_and_closes() throws Exception {
        HttpServer server = start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            RawHttp.write(socket, "THIS IS NOT HTTP AT ALL\r\n\r\n");

            RawHttp.Response response = RawHttp.read(socket);

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"error\":\"bad_request\"");
            assertThat(RawHttp.closedByServer(socket)).isTrue();
        }
        assertThat(server.stats().malformed()).isEqualTo(1);
        assertThat(get("http://127.0.0.1:" + server.port() + "/hello/again").statusCode()).isEqualTo(200);
    }

    @Test
    void refuses_an_oversize_body_with_413() throws Exception {
        HttpServer server = start();
        String base = "http://127.0.0.1:" + server.port();

        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5_000))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> fits = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1_000))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fits.body()).hasSize(1_000);
        assertThat(server.stats().oversize()).isEqualTo(1);
    }

    @Test
    void gunzips_request_bodies_and_caps_the_inflated_size() throws Exception {
        HttpServer server = start();
        String base = "http://127.0.0.1:" + server.port();
        byte[] small = JsonCodec.gzip("{\"compressed\":true}".getBytes(StandardCharsets.UTF_8));
        byte[] bomb = JsonCodec.gzip(new byte[200_000]);

        HttpResponse<String> echoed = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> inflated = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo("{\"compressed\":true}");
        assertThat(bomb.length).isLessThan(1024);
        assertThat(inflated.statusCode()).isEqualTo(413);
    }

    @Test
    void gzips_large_responses_only_for_clients_that_accept_it_and_counts_both_directions() throws Exception {
        HttpServer server = start();
        String base = "http://127.0.0.1:" + server.port();

        HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(URI.create(base + "/big"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> plain = get(base + "/big");
        HttpResponse<byte[]> small = client.send(HttpRequest.newBuilder(URI.create(base + "/hello/x"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        client.send(HttpRequest.newBuilder(URI.create(base + "/echo")).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.gzip(new byte[10]))).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.body().length).isLessThan(1_000);
        assertThat(new String(JsonCodec.gunzip(zipped.body(), 1 << 20), StandardCharsets.UTF_8)).isEqualTo("campus ".repeat(1_000));
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo("campus ".repeat(1_000));
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(server.stats().transport()).isEqualTo(new TransportStats(0, 0, 1, 1));
    }

    @Test
    void a_route_that_throws_gets_500_and_the_server_keeps_serving() throws Exception {
        HttpServer server = start();
        String base = "http://127.0.0.1:" + server.port();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> failed = get(base + "/fail");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("\"error\":\"internal_error\"").doesNotContain("boom");
        }

        assertThat(get(base + "/hello/still").statusCode()).isEqualTo(200);
        assertThat(failures.get()).isEqualTo(3);
        assertThat(server.stats().status5xx()).isEqualTo(3);
    }

    @Test
    void keeps_a_connection_alive_and_answers_pipelined_requests_in_order() throws Exception {
        HttpServer server = start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            RawHttp.write(socket, "GET /hello/one HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = RawHttp.read(socket);
            RawHttp.write(socket, "GET /hello/two HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthree"
                    + "GET /hello/four HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response second = RawHttp.read(socket);
            RawHttp.Response third = RawHttp.read(socket);
            RawHttp.Response fourth = RawHttp.read(socket);

            assertThat(first.body()).contains("one");
            assertThat(first.headers()).containsEntry("connection", "keep-alive");
            assertThat(second.body()).contains("two");
            assertThat(third.body()).isEqualTo("three");
            assertThat(fourth.body()).contains("four");
            assertThat(fourth.headers()).containsEntry("connection", "close");
            assertThat(RawHttp.closedByServer(socket)).isTrue();
        }
    }

    @Test
    void localhost_listens_on_ipv4_and_ipv6_loopback() throws Exception {
        HttpServer server = start("dual", List.of("localhost"), 0, 1024);

        assertThat(server.boundAddresses()).extracting(a -> a.getAddress().getHostAddress())
                .containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(get("http://127.0.0.1:" + server.port() + "/hello/v4").body()).contains("v4");
        assertThat(get("http://[::1]:" + server.port() + "/hello/v6").body()).contains("v6");
    }

    @Test
    void wildcard_listens_on_every_interface_with_one_socket() throws Exception {
        HttpServer server = start("any", List.of("localhost", "*", "0.0.0.0"), 0, 1024);

        assertThat(server.boundAddresses()).singleElement().satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
        assertThat(get("http://127.0.0.1:" + server.port() + "/hello/any").statusCode()).isEqualTo(200);
        assertThat(get("http://[::1]:" + server.port() + "/hello/any").statusCode()).isEqualTo(200);
    }

    @Test
    void an_address_missing_from_this_host_is_skipped_when_another_binds() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
        HttpServer server = start("partial", List.of("127.0.0.1", "192.0.2.1"), 0, 1024);

        assertThat(server.boundAddresses()).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1");
        assertThat(get("http://127.0.0.1:" + server.port() + "/hello/partial").statusCode()).isEqualTo(200);
    }

    @Test
    void a_taken_port_fails_start_naming_host_port_and_cause_and_leaves_no_threads() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = squatter.getLocalPort();
            HttpServer server = new HttpServer("taken", List.of("localhost"), port, 1024, router());
            servers.add(server);

            assertThatThrownBy(server::start)
                    .isInstanceOf(HttpBindException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("in use");
            assertThat(threadsNamed("taken-")).isEmpty();
            try (ServerSocket v6 = new ServerSocket()) {
                v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));
            }
        }
    }

    @Test
    void close_frees_the_port_and_ends_every_server_thread() throws Exception {
        HttpServer server = start("closing", List.of("localhost"), 0, 1024);
        int port = server.port();
        assertThat(get("http://127.0.0.1:" + port + "/hello/x").statusCode()).isEqualTo(200);
        assertThat(threadsNamed("closing-io-")).isNotEmpty();
        assertThat(threadsNamed("closing-worker-")).isNotEmpty();

        server.close();

        assertThat(threadsNamed("closing-")).isEmpty();
        assertThat(server.boundAddresses()).isEmpty();
        try (ServerSocket v4 = new ServerSocket(); ServerSocket v6 = new ServerSocket()) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));
        }
        assertThatThrownBy(() -> get("http://127.0.0.1:" + port + "/hello/x")).isInstanceOf(IOException.class);
    }
}
