package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.sync.uplink.MemoryOutbox;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downlink long-polls parked without threads ({@link ParkedPolls}) on a real data center: many wait
 * while uploads and queries answer, one change wakes them all; the cap, replacement, a client's
 * disconnect and shutdown. Bounds are generous: the machine is shared.
 */
class ParkedLongPollsIT {

    private static final String SCHOOL = "Riverside";
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String BUREAU = "reader-token-0123456789abcd";
    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private DataCenter center;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (center != null) {
            center.close();
        }
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "school-%03d-box-1", i);
    }

    private static String token(int i) {
        return String.format(Locale.ROOT, "token-of-box-%06d-xyz", i);
    }

    private void start(int devices, int maxParked) throws Exception {
        List<DataCenterConfig.DeviceEntry> entries = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            entries.add(DataCenterConfig.DeviceEntry.withToken(id(i), SCHOOL, token(i)));
        }
        DataCenterConfig base = DataCenterConfig.of(0, dir.resolve("center.db"), entries);
        center = new DataCenter(base.withDownlink(base.downlink().withAdminToken(ADMIN).withMaxParkedPolls(maxParked))
                .withQueries(DataCenterConfig.Queries.of(java.time.ZoneOffset.UTC, List.of(),
                        DataCenterConfig.Reader.withToken("city-bureau", BUREAU))));
        center.start();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + center.port() + pathAndQuery);
    }

    private CompletableFuture<HttpResponse<String>> poll(int device, long since, int waitSeconds) {
        return http.sendAsync(HttpRequest.newBuilder(uri("/v1/devices/" + id(device) + "/downlink?since=" + since + "&wait=" + waitSeconds))
                .header("Authorization", "Bearer " + token(device)).timeout(GENEROUS.plusSeconds(waitSeconds)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode longPolls() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        return JsonCodec.mapper().readTree(r.body()).get("longPolls");
    }

    private JsonNode awaitLongPolls(Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        JsonNode s = longPolls();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = longPolls();
        }
        assertThat(done.test(s)).as("long-polls reached the expected state: %s", s).isTrue();
        return s;
    }

    private HttpResponse<String> putCard(String card) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/downlink/schools/" + SCHOOL + "/card/" + card))
                .header("Authorization", "Bearer " + ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"person\":\"S-0117\",\"rooms\":[\"studio-1\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void two_hundred_parked_long_polls_leave_uploads_and_queries_prompt_and_one_change_wakes_them_all() throws Exception {
        int boxes = 200;
        start(boxes + 1, 10_000);
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < boxes; i++) {
            polls.add(poll(i, 0, 120));
        }
        awaitLongPolls(s -> s.get("parked").asInt() == boxes);

        // The HTTP server has 8 workers; with 200 polls waiting an upload and a query still answer at once.
        try (UplinkClient uploader = new UplinkClient(uri(""), token(boxes), Duration.ofSeconds(10))) {
            long t0 = System.nanoTime();
            uploader.send(IngestBatch.of(id(boxes), "priority", List.of(MemoryOutbox.event("priority", 1), MemoryOutbox.event("priority", 2))));
            Duration upload = Duration.ofNanos(System.nanoTime() - t0);
            t0 = System.nanoTime();
            HttpResponse<String> devices = http.send(HttpRequest.newBuilder(uri("/v1/devices"))
                    .header("Authorization", "Bearer " + BUREAU).build(), HttpResponse.BodyHandlers.ofString());
            Duration query = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("with %d long-polls parked: upload answered in %d ms, GET /v1/devices in %d ms%n",
                    boxes, upload.toMillis(), query.toMillis());
            assertThat(devices.statusCode()).isEqualTo(200);
            assertThat(JsonCodec.mapper().readTree(devices.body()).get("devices")).hasSize(boxes + 1);
            assertThat(upload).isLessThan(PROMPT);
            assertThat(query).isLessThan(PROMPT);
        }
        assertThat(center.store().count(id(boxes), "priority")).isEqualTo(2);
        assertThat(polls).noneMatch(CompletableFuture::isDone);

        long t0 = System.nanoTime();
        HttpResponse<String> put = putCard("0a00d6e3f2");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        long version = JsonCodec.mapper().readTree(put.body()).get("version").asLong();
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("one change woke %d parked long-polls in %d ms%n", boxes, (System.nanoTime() - t0) / 1_000_000);

        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.join();
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode delta = JsonCodec.mapper().readTree(r.body());
            assertThat(delta.get("version").asLong()).isEqualTo(version);
            assertThat(r.body()).contains("0A00D6E3F2");
        }
        JsonNode s = awaitLongPolls(n -> n.get("parked").asInt() == 0);
        assertThat(s.get("woken").asLong()).isEqualTo(boxes);
        assertThat(s.get("timedOut").asLong()).isZero();
    }

    @Test
    void the_cap_refuses_with_503_a_closed_connection_frees_its_slot_and_a_repoll_replaces_the_earlier() throws Exception {
        start(3, 2);
        // Box 0 waits on a connection this test closes.
        CompletableFuture<HttpResponse<String>> second;
        try (Socket s = new Socket("127.0.0.1", center.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/devices/" + id(0) + "/downlink?since=0&wait=120 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + token(0) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitLongPolls(n -> n.get("parked").asInt() == 1);
            second = poll(1, 0, 120);
            awaitLongPolls(n -> n.get("parked").asInt() == 2);

            HttpResponse<String> refused = poll(2, 0, 120).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("too_many_polls");
            assertThat(longPolls().get("refused").asLong()).isEqualTo(1);
            assertThat(second).isNotDone();
        }
        // The socket is closed: its slot is free without waiting for the poll's time to run out.
        // (the poll leaves the parked set a moment before it is counted as disconnected: wait for both)
        JsonNode afterClose = awaitLongPolls(n -> n.get("parked").asInt() == 1 && n.get("disconnected").asLong() >= 1);
        assertThat(afterClose.get("disconnected").asLong()).isEqualTo(1);
        CompletableFuture<HttpResponse<String>> third = poll(2, 0, 120);
        awaitLongPolls(n -> n.get("parked").asInt() == 2);

        // Box 1 polls again: its first poll is answered (nothing new) and the new one waits in its place.
        CompletableFuture<HttpResponse<String>> again = poll(1, 0, 120);
        HttpResponse<String> replacedAnswer = second.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        assertThat(replacedAnswer.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.mapper().readTree(replacedAnswer.body()).get("changes")).isEmpty();
        JsonNode s = awaitLongPolls(n -> n.get("replaced").asLong() == 1 && n.get("parked").asInt() == 2);
        assertThat(s.get("max").asInt()).isEqualTo(2);

        // Shutdown answers what waits, with what it has.
        center.close();
        center = null;
        for (CompletableFuture<HttpResponse<String>> p : List.of(again, third)) {
            HttpResponse<String> r = p.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JsonCodec.mapper().readTree(r.body()).get("version").asLong()).isZero();
        }
    }

    @Test
    void a_poll_whose_wait_is_up_is_answered_with_nothing_new() throws Exception {
        start(1, 10);
        long t0 = System.nanoTime();
        HttpResponse<String> r = poll(0, 0, 1).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        long waited = (System.nanoTime() - t0) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JsonCodec.mapper().readTree(r.body()).get("changes")).isEmpty();
        assertThat(waited).isGreaterThanOrEqualTo(900);
        JsonNode s = awaitLongPolls(n -> n.get("parked").asInt() == 0);
        assertThat(s.get("timedOut").asLong()).isEqualTo(1);
    }
}
