package org.campusedge.sync.center;

import org.campusedge.sync.uplink.MemoryOutbox;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException.Reason;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.uplink.UplinkStats;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class DataCenterIT {

    private static final String BOX = "school-042-box-1";
    private static final String OTHER_BOX = "school-107-box-1";
    private static final String TOKEN = "token-of-school-042-box-1";
    private static final String OTHER_TOKEN = "token-of-school-107-box-1";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(resource);
        return resource;
    }

    private DataCenterConfig config() {
        return DataCenterConfig.of(0, dir.resolve("center.db"), List.of(
                DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside Primary", TOKEN),
                DataCenterConfig.DeviceEntry.withToken(OTHER_BOX, "Hillcrest Secondary", OTHER_TOKEN)));
    }

    private DataCenter startCenter() throws Exception {
        DataCenter center = closing(new DataCenter(config()));
        center.start();
        return center;
    }

    private Uplink startUplink(int port, String token, MemoryOutbox outbox, int batchSize) {
        UplinkClient client = closing(new UplinkClient(URI.create("http://127.0.0.1:" + port), token, Duration.ofSeconds(5)));
        Uplink uplink = closing(new Uplink(outbox, client, UplinkOptions.defaults(BOX)
                .withFixedBatchSize(batchSize)
                .withPollInterval(Duration.ofMillis(200))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(150)), new Random(7)));
        uplink.start();
        return uplink;
    }

    private HttpResponse<String> post(int port, String token, IngestBatch batch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ingest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.encode(batch)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static IngestBatch batch(String device, long from, long to) {
        return IngestBatch.of(device, "priority", LongStream.rangeClosed(from, to).mapToObj(s -> MemoryOutbox.event("priority", s)).toList());
    }

    /** Every seq 1..last is at the center once, with exactly the payload the box journaled. */
    private static void assertHoldsExactly(EventStore store, String stream, long last) {
        assertThat(store.count(BOX, stream)).isEqualTo(last);
        List<StoredEvent> all = store.events(BOX, stream, 0, (int) last + 10);
        assertThat(all).extracting(StoredEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        for (StoredEvent e : all) {
            WireEvent sent = MemoryOutbox.event(stream, e.seq());
            assertThat(e.payloadJson()).isEqualTo(sent.payloadJson());
            assertThat(e.occurredAt()).isEqualTo(sent.occurredAt());
            assertThat(e.type()).isEqualTo(sent.type());
        }
        assertThat(store.marks(BOX).acked(stream)).isEqualTo(last);
    }

    @Test
    void uplink_drains_thousands_of_events_in_two_streams_exactly_once() throws Exception {
        DataCenter center = startCenter();
        MemoryOutbox outbox = new MemoryOutbox("priority", "readings");
        outbox.append("priority", 5_000);
        outbox.append("readings", 1_200);

        Uplink uplink = startUplink(center.port(), TOKEN, outbox, 500);
        uplink.drainedTo("priority", 5_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        uplink.drainedTo("readings", 1_200).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertHoldsExactly(center.store(), "priority", 5_000);
        assertHoldsExactly(center.store(), "readings", 1_200);
        assertThat(outbox.ackedSeq("priority")).isEqualTo(5_000);
        assertThat(outbox.ackedSeq("readings")).isEqualTo(1_200);
        assertThat(center.stats()).isEqualTo(new DataCenterStats(13, 6_200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        UplinkStats stats = uplink.stats();
        assertThat(stats.batchesSent()).isEqualTo(13);
        assertThat(stats.eventsSent()).isEqualTo(6_200);
        assertThat(stats.totalFailures()).isZero();
        assertThat(stats.lastSuccess()).isPresent();
        assertThat(stats.ackedSeq()).containsEntry("priority", 5_000L).containsEntry("readings", 1_200L);

        outbox.append("priority", 25);
        uplink.wakeUp();
        uplink.drainedTo("priority", 5_025).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertHoldsExactly(center.store(), "priority", 5_025);
    }

    @Test
    void missing_or_wrong_token_is_401_and_stores_nothing() throws Exception {
        DataCenter center = startCenter();

        HttpResponse<String> missing = post(center.port(), null, batch(BOX, 1, 3));
        HttpResponse<String> wrong = post(center.port(), "not-a-token-of-anyone", batch(BOX, 1, 3));
        HttpResponse<String> marks = get(center.port(), null, "/v1/devices/" + BOX + "/streams");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(missing.body()).contains("\"error\":\"unauthorized\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(marks.statusCode()).isEqualTo(401);

        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 10);
        Uplink uplink = startUplink(center.port(), "not-a-token-of-anyone", outbox, 5);
        Eventually.await("an UNAUTHORIZED failure", WAIT, () -> uplink.stats().failures(Reason.UNAUTHORIZED) > 0);

        assertThat(uplink.stats().lastError()).hasValueSatisfying(e -> assertThat(e).contains("401"));
        assertThat(uplink.stats().currentBackoff()).isEqualTo(Duration.ofMillis(150));
        assertThat(center.store().count(BOX, "priority")).isZero();
        assertThat(outbox.ackedSeq("priority")).isZero();
        assertThat(center.stats().authFailures()).isGreaterThanOrEqualTo(4);
        assertThat(center.stats().batches()).isZero();
    }

    @Test
    void a_device_cannot_write_or_read_another_devices_streams() throws Exception {
        DataCenter center = startCenter();

        HttpResponse<String> write = post(center.port(), TOKEN, batch(OTHER_BOX, 1, 3));
        HttpResponse<String> read = get(center.port(), TOKEN, "/v1/devices/" + OTHER_BOX + "/streams");
        HttpResponse<String> own = get(center.port(), OTHER_TOKEN, "/v1/devices/" + OTHER_BOX + "/streams");

        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("\"error\":\"forbidden\"");
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.decode(own.body(), org.campusedge.sync.wire.StreamMarks.class).ackedSeq()).isEmpty();
        assertThat(center.store().count(OTHER_BOX, "priority")).isZero();
        assertThat(center.stats().forbidden()).isEqualTo(2);
    }

    @Test
    void bad_batches_are_400_naming_the_problem_and_gaps_are_409_with_the_mark() throws Exception {
        DataCenter center = startCenter();
        String broken = "{\"deviceId\":\"" + BOX + "\",\"stream\":\"priority\",\"fromSeq\":1,\"toSeq\":2,\"events\":["
                + "{\"seq\":1,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:00:00Z\",\"payload\":{}},"
                + "{\"seq\":5,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:00:00Z\",\"payload\":{}}]}";
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + "/v1/ingest"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{oops")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notContiguous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + "/v1/ingest"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(broken)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post(center.port(), TOKEN, batch(BOX, 1, 4)).statusCode()).isEqualTo(200);
        HttpResponse<String> gap = post(center.port(), TOKEN, batch(BOX, 8, 9));

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"error\":\"bad_request\"");
        assertThat(notContiguous.statusCode()).isEqualTo(400);
        assertThat(notContiguous.body()).contains("events[1] has seq 5, expected 2");
        assertThat(gap.statusCode()).isEqualTo(409);
        assertThat(gap.body()).contains("\"error\":\"gap\"").contains("\"ackedSeq\":4");
        assertThat(center.store().count(BOX, "priority")).isEqualTo(4);
        assertThat(center.stats().badRequests()).isEqualTo(2);
        assertThat(center.stats().gaps()).isEqualTo(1);
    }

    /** What the streaming batch decoder refuses reaches the box as a 400 naming the problem, counted, never a 500. */
    @Test
    void hostile_batches_plain_or_gzipped_are_400_and_counted_never_500() throws Exception {
        DataCenter center = startCenter();
        String head = "{\"deviceId\":\"" + BOX + "\",\"stream\":\"priority\",\"fromSeq\":1,\"toSeq\":1,\"events\":["
                + "{\"seq\":1,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:00:00Z\",\"payload\":";
        List<String> hostile = List.of(
                head + "{\"room\":\"lab\"",                                        // truncated
                head + "{\"a\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}}]}",   // nesting far too deep
                head + "{\"a\":1,\"a\":2}}]}",                                      // duplicate field
                head + "[1,2]}]}",                                                   // payload not an object
                head + "{\"blob\":\"" + "x".repeat(200_000) + "}}]}",               // huge unterminated string
                head + "{\"n\":" + "9".repeat(5_000) + "}}]}");                      // number longer than allowed
        for (boolean gzip : List.of(false, true)) {
            for (String body : hostile) {
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + "/v1/ingest"))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
                if (gzip) {
                    b.header("Content-Encoding", "gzip");
                    bytes = JsonCodec.gzip(bytes);
                }
                HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(body.substring(head.length(), Math.min(body.length(), head.length() + 40))).isEqualTo(400);
                assertThat(r.body()).contains("\"error\":\"bad_request\"").contains("not a valid batch");
            }
        }

        assertThat(center.stats().badRequests()).isEqualTo(2L * hostile.size());
        assertThat(center.store().count(BOX, "priority")).isZero();
        assertThat(post(center.port(), TOKEN, batch(BOX, 1, 3)).statusCode()).as("the center still takes good batches").isEqualTo(200);
    }

    @Test
    void health_answers_without_a_token() throws Exception {
        DataCenter center = startCenter();

        HttpResponse<String> health = get(center.port(), null, "/v1/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"devices\":2");
    }

    @Test
    void uplink_retries_through_server_errors_and_everything_arrives_once() throws Exception {
        SqliteEventStore real = closing(SqliteEventStore.open(dir.resolve("flaky.db")));
        DataCenter center = closing(new DataCenter(config(), new FlakyStore(real, 6)));
        center.start();
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 1_000);

        Uplink uplink = startUplink(center.port(), TOKEN, outbox, 100);
        uplink.drainedTo("priority", 1_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(uplink.stats().failures(Reason.SERVER_ERROR)).isEqualTo(6);
        assertThat(uplink.stats().currentBackoff()).isZero();
        assertThat(center.httpStats().status5xx()).isEqualTo(6);
        assertThat(center.stats().storeFailures()).isEqualTo(6);
        assertHoldsExactly(real, "priority", 1_000);
        assertThat(center.stats().duplicates()).isZero();
    }

    @Test
    void uplink_survives_refused_and_cut_connections_and_lost_acks_without_duplicates_at_the_center() throws Exception {
        DataCenter center = startCenter();
        CuttableProxy proxy = closing(new CuttableProxy(center.port()));
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 2_000);

        proxy.mode(CuttableProxy.Mode.REFUSE);
        Uplink uplink = startUplink(proxy.port(), TOKEN, outbox, 200);
        Eventually.await("refused connections", WAIT, () -> uplink.stats().failures(Reason.NETWORK) >= 3);
        proxy.mode(CuttableProxy.Mode.FORWARD);
        uplink.drainedTo("priority", 600).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        proxy.mode(CuttableProxy.Mode.LOSE_REPLIES);
        long networkBefore = uplink.stats().failures(Reason.NETWORK);
        Eventually.await("lost acknowledgements", WAIT, () -> uplink.stats().failures(Reason.NETWORK) >= networkBefore + 3);
        proxy.mode(CuttableProxy.Mode.FORWARD);
        uplink.drainedTo("priority", 2_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertHoldsExactly(center.store(), "priority", 2_000);
        assertThat(center.stats().duplicates()).as("batches stored but never acknowledged were resent").isPositive();
        assertThat(center.stats().eventsStored()).isEqualTo(2_000);
        assertThat(proxy.cut()).isGreaterThanOrEqualTo(6);
        assertThat(outbox.ackedSeq("priority")).isEqualTo(2_000);
    }

    @Test
    void a_fresh_outbox_resumes_from_the_centers_marks_without_resending() throws Exception {
        DataCenter center = startCenter();
        MemoryOutbox first = new MemoryOutbox("priority");
        first.append("priority", 2_000);
        Uplink uplink = startUplink(center.port(), TOKEN, first, 500);
        uplink.drainedTo("priority", 2_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        uplink.close();

        MemoryOutbox lostItsAcks = new MemoryOutbox("priority");
        lostItsAcks.append("priority", 2_000);
        Uplink restarted = startUplink(center.port(), TOKEN, lostItsAcks, 500);
        restarted.drainedTo("priority", 2_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(lostItsAcks.ackedSeq("priority")).isEqualTo(2_000);
        assertThat(restarted.stats().batchesSent()).isZero();
        assertThat(center.stats().duplicates()).isZero();

        lostItsAcks.append("priority", 300);
        restarted.wakeUp();
        restarted.drainedTo("priority", 2_300).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertHoldsExactly(center.store(), "priority", 2_300);
        assertThat(center.stats().duplicates()).isZero();
    }

    @Test
    void a_center_behind_the_box_gets_the_missing_events_resent() throws Exception {
        DataCenter center = startCenter();
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 1_000);
        outbox.markAcked("priority", 600);

        Uplink uplink = startUplink(center.port(), TOKEN, outbox, 250);
        uplink.drainedTo("priority", 1_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertHoldsExactly(center.store(), "priority", 1_000);
        assertThat(uplink.stats().eventsSent()).isEqualTo(1_000);
    }

    @Test
    void uplink_close_is_prompt_during_backoff_and_fails_pending_waits() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 5);
        UplinkClient client = closing(new UplinkClient(URI.create("http://127.0.0.1:" + deadPort), TOKEN, Duration.ofSeconds(5)));
        Uplink uplink = new Uplink(outbox, client, UplinkOptions.defaults(BOX).withBackoff(Duration.ofSeconds(30), Duration.ofMinutes(5)));
        uplink.start();
        var pending = uplink.drainedTo("priority", 5);
        Eventually.await("a failed connection", WAIT, () -> uplink.stats().failures(Reason.NETWORK) > 0);

        long t0 = System.nanoTime();
        uplink.close();

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("uplink"));
        assertThat(pending).isCompletedExceptionally();
    }

    @Test
    void declared_gaps_move_the_mark_and_events_plus_gaps_add_up_to_what_the_box_journaled() throws Exception {
        DataCenter center = startCenter();
        MemoryOutbox outbox = new MemoryOutbox("priority", "readings");
        outbox.append("priority", 10);
        outbox.append("readings", 1_000);
        outbox.lose("readings", 1, 300);       // lost before anything was sent
        outbox.append("readings", 500);
        Uplink uplink = startUplink(center.port(), TOKEN, outbox, 128);
        uplink.drainedTo("readings", 1_500).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        synchronized (outbox) { // lost before the uplink saw them
            outbox.append("readings", 200);
            outbox.lose("readings", 1_501, 1_650);
        }
        uplink.wakeUp();
        uplink.drainedTo("readings", 1_700).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        var gaps = center.store().gaps(BOX);
        assertThat(gaps.gaps()).extracting(g -> g.fromSeq() + ".." + g.toSeq() + "/" + g.count() + "/" + g.reason())
                .containsExactly("1..300/300/disk_budget", "1501..1650/150/disk_budget");
        assertThat(center.store().count(BOX, "readings") + gaps.lost("readings")).isEqualTo(1_700);
        assertThat(center.store().count(BOX, "priority")).isEqualTo(10);
        assertThat(outbox.undeclaredGaps("readings")).isEmpty();
        assertThat(uplink.stats().gapsDeclared()).isEqualTo(2);
        assertThat(uplink.stats().eventsDeclaredLost()).isEqualTo(450);
        assertThat(center.stats().eventsDeclaredLost()).isEqualTo(450);

        // Over HTTP: the gaps endpoint, a repeated declaration (counted once) and one ahead of the mark (409).
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port()
                        + "/v1/devices/" + BOX + "/gaps")).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.decode(listed.body(), org.campusedge.sync.wire.DeclaredGaps.class)).isEqualTo(gaps);
        try (UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5))) {
            var again = client.sendGap(org.campusedge.sync.wire.GapDeclaration.of(BOX, "readings",
                    org.campusedge.sync.wire.WireGap.of(1_501, 1_650, "disk_budget", java.time.Instant.EPOCH)));
            assertThat(again.ackedSeq()).isEqualTo(1_700);
            assertThat(center.store().gaps(BOX)).isEqualTo(gaps);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.sendGap(org.campusedge.sync.wire.GapDeclaration.of(
                            BOX, "readings", org.campusedge.sync.wire.WireGap.of(1_800, 1_900, "disk_budget", java.time.Instant.EPOCH))))
                    .isInstanceOfSatisfying(org.campusedge.sync.uplink.UplinkException.class,
                            e -> assertThat(e.serverAckedSeq()).hasValue(1_700));
        }
    }

    @Test
    void close_releases_the_port_and_the_database() throws Exception {
        DataCenter center = new DataCenter(config());
        center.start();
        int port = center.port();
        center.close();

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("datacenter-"));
        try (SqliteEventStore reopened = SqliteEventStore.open(dir.resolve("center.db"))) {
            assertThat(reopened.marks(BOX).ackedSeq()).isEmpty();
        }
    }
}
