package org.campusedge.sync.uplink;

import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.uplink.UplinkException.Reason;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.StreamMarks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UplinkClientIT {

    private static final String TOKEN = "client-test-token-0001";

    private final AtomicReference<HttpReply> answer = new AtomicReference<>();
    private final AtomicReference<HttpRequestView> seen = new AtomicReference<>();
    private HttpServer server;
    private UplinkClient client;

    @BeforeEach
    void start() throws Exception {
        server = new HttpServer("fake-center", List.of("127.0.0.1"), 0, 1 << 20, new Router()
                .post("/v1/ingest", (req, p) -> {
                    seen.set(req);
                    return answer.get();
                })
                .get("/v1/devices/{id}/streams", (req, p) -> {
                    seen.set(req);
                    if (p.get("id").equals("slow-box")) {
                        Thread.sleep(3_000);
                    }
                    return HttpReply.json(200, JsonCodec.encodeString(new StreamMarks(p.get("id"), Map.of("priority", 12L))));
                }));
        server.start();
        // Exchanges expected to succeed get a patient timeout (a busy machine may take a while for a cold
        // path: gzip, a new connection); the timeout itself is tested with a client of its own.
        client = new UplinkClient(URI.create("http://127.0.0.1:" + server.port() + "/"), TOKEN, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static IngestBatch batch() {
        return IngestBatch.of("box-1", "priority", List.of(MemoryOutbox.event("priority", 1), MemoryOutbox.event("priority", 2)));
    }

    private Reason failureOf(HttpReply reply) {
        answer.set(reply);
        try {
            client.send(batch());
        } catch (UplinkException e) {
            return e.reason();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure for " + reply.status());
    }

    @Test
    void posts_the_batch_with_the_bearer_token_and_reads_the_ack() throws Exception {
        answer.set(HttpReply.json(200, JsonCodec.encodeString(new IngestAck("box-1", "priority", 2, 2, 0))));

        IngestAck ack = client.send(batch());

        assertThat(ack).isEqualTo(new IngestAck("box-1", "priority", 2, 2, 0));
        assertThat(seen.get().header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(seen.get().header("Content-Type")).isEqualTo("application/json");
        assertThat(JsonCodec.decode(seen.get().body(), IngestBatch.class)).isEqualTo(batch());
    }

    @Test
    void reads_stream_marks() throws Exception {
        StreamMarks marks = client.fetchMarks("box-1");

        assertThat(marks).isEqualTo(new StreamMarks("box-1", Map.of("priority", 12L)));
        assertThat(seen.get().path()).isEqualTo("/v1/devices/box-1/streams");
    }

    @Test
    void maps_each_error_status_to_its_reason() {
        assertThat(failureOf(HttpReply.error(401, "unauthorized", "no"))).isEqualTo(Reason.UNAUTHORIZED);
        assertThat(failureOf(HttpReply.error(403, "forbidden", "no"))).isEqualTo(Reason.FORBIDDEN);
        assertThat(failureOf(HttpReply.error(400, "bad_request", "no"))).isEqualTo(Reason.REJECTED);
        assertThat(failureOf(HttpReply.error(409, "conflict", "not a gap"))).isEqualTo(Reason.REJECTED);
        assertThat(failureOf(HttpReply.error(500, "internal_error", "no"))).isEqualTo(Reason.SERVER_ERROR);
        assertThat(failureOf(HttpReply.error(503, "busy", "no"))).isEqualTo(Reason.SERVER_ERROR);
        assertThat(failureOf(HttpReply.json(200, "{\"what\":"))).isEqualTo(Reason.SERVER_ERROR);
    }

    @Test
    void a_429_is_throttled_with_the_servers_retry_after() {
        answer.set(HttpReply.error(429, "too_many_requests", "slow down").withHeader("Retry-After", "7"));

        assertThatThrownBy(() -> client.send(batch()))
                .isInstanceOfSatisfying(UplinkException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.THROTTLED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getMessage()).contains("slow down");
                });
        answer.set(HttpReply.error(429, "too_many_requests", "no header"));
        assertThatThrownBy(() -> client.send(batch()))
                .isInstanceOfSatisfying(UplinkException.class, e -> assertThat(e.retryAfter()).isZero());
    }

    @Test
    void small_batches_go_uncompressed_when_a_gzip_threshold_is_set() throws Exception {
        answer.set(HttpReply.json(200, JsonCodec.encodeString(new IngestAck("box-1", "priority", 2, 2, 0))));
        try (UplinkClient thrifty = new UplinkClient(URI.create("http://127.0.0.1:" + server.port()), TOKEN, Duration.ofSeconds(2),
                java.util.Optional.empty(), 100_000)) {
            thrifty.send(batch());
        }
        assertThat(seen.get().header("Content-Encoding")).isNull();
        assertThat(server.stats().transport().compressedRequests()).isZero();

        client.send(batch());
        assertThat(server.stats().transport().compressedRequests()).isEqualTo(1);
    }

    @Test
    void a_gap_carries_the_servers_mark() {
        answer.set(HttpReply.json(409, "{\"error\":\"gap\",\"message\":\"resend from 18\",\"ackedSeq\":17}"));

        assertThatThrownBy(() -> client.send(batch()))
                .isInstanceOfSatisfying(UplinkException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.GAP);
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.serverAckedSeq()).hasValue(17);
                    assertThat(e.getMessage()).contains("resend from 18");
                });
    }

    @Test
    void refused_connection_and_timeout_are_network_failures() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        try (UplinkClient nowhere = new UplinkClient(URI.create("http://127.0.0.1:" + freePort), TOKEN, Duration.ofSeconds(2));
             UplinkClient impatient = new UplinkClient(URI.create("http://127.0.0.1:" + server.port()), TOKEN,
                     Duration.ofMillis(300))) {
            assertThatThrownBy(() -> nowhere.send(batch()))
                    .isInstanceOfSatisfying(UplinkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NETWORK));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> impatient.fetchMarks("slow-box"))
                    .isInstanceOfSatisfying(UplinkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NETWORK));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void sends_the_body_gzip_compressed() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             UplinkClient direct = new UplinkClient(URI.create("http://127.0.0.1:" + raw.getLocalPort()), TOKEN, Duration.ofSeconds(2))) {
            CompletableFuture<IngestAck> sent = direct.ingest(batch());
            String head;
            byte[] body;
            try (Socket s = raw.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream h = new ByteArrayOutputStream();
                while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    h.write(in.read());
                }
                head = h.toString(StandardCharsets.ISO_8859_1).toLowerCase();
                int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                body = in.readNBytes(length);
                byte[] ack = JsonCodec.encode(new IngestAck("box-1", "priority", 2, 2, 0));
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + ack.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(ack);
            }
            assertThat(sent.get(5, TimeUnit.SECONDS).ackedSeq()).isEqualTo(2);
            assertThat(head).contains("content-encoding: gzip");
            assertThat(JsonCodec.decode(JsonCodec.gunzip(body, 1 << 20), IngestBatch.class)).isEqualTo(batch());
        }
    }

    @Test
    void reports_the_backlog_source_on_reads_and_the_backlog_after_the_batch_on_uploads() throws Exception {
        org.campusedge.sync.wire.Backlog now = new org.campusedge.sync.wire.Backlog(Map.of("priority",
                new org.campusedge.sync.wire.Backlog.Stream(7, java.util.Optional.of(java.time.Instant.parse("2026-11-29T08:00:00Z")))));
        org.campusedge.sync.wire.Backlog after = new org.campusedge.sync.wire.Backlog(Map.of("priority",
                org.campusedge.sync.wire.Backlog.Stream.empty()));
        client.fetchMarks("box-1");
        assertThat(seen.get().header("CampusEdge-Backlog")).as("no source: no header").isNull();

        client.reportBacklog(() -> java.util.Optional.of(now));
        client.fetchMarks("box-1");
        assertThat(seen.get().header("CampusEdge-Backlog")).isEqualTo("priority=7;2026-11-29T08:00:00Z");

        answer.set(HttpReply.json(200, JsonCodec.encodeString(new IngestAck("box-1", "priority", 2, 2, 0))));
        client.send(batch(), java.util.Optional.of(after));
        assertThat(seen.get().header("CampusEdge-Backlog")).isEqualTo("priority=0");

        client.reportBacklog(() -> {
            throw new IllegalStateException("the journal is gone");
        });
        client.fetchMarks("box-1");
        assertThat(seen.get().header("CampusEdge-Backlog")).as("a failing source leaves the header out").isNull();
    }
}
