package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.sync.uplink.MemoryOutbox;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog a box reports ({@code CampusEdge-Backlog}) end to end: the real {@link Uplink} and
 * {@link UplinkClient} against a real {@link DataCenter}, read back through {@code GET /v1/devices}
 * and {@code /v1/health}, on both stores.
 */
class BacklogAtTheCenterIT {

    private static final String BOX = "box-1";
    private static final String OLD_BOX = "box-old";
    private static final String TOKEN = "backlog-it-token-000001";
    private static final String OLD_TOKEN = "backlog-it-token-000002";
    private static final String BUREAU = "backlog-it-reader-00001";
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private DataCenter start(String storage) throws Exception {
        DataCenterConfig base = DataCenterConfig.of(0, dir.resolve("center.db"), List.of(
                DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside", TOKEN),
                DataCenterConfig.DeviceEntry.withToken(OLD_BOX, "Hillcrest", OLD_TOKEN)));
        if (storage.equals("postgresql")) {
            PostgresTestSchema schema = PostgresTestSchema.create();
            resources.add(schema);
            base = new DataCenterConfig(base.http(), DataCenterConfig.Storage.postgresql(
                    new DataCenterConfig.Postgres(schema.url(), PostgresTestSchema.USER, null, 4)), base.devices(), base.registry());
        }
        DataCenter center = new DataCenter(base.withQueries(DataCenterConfig.Queries.of(java.time.ZoneOffset.UTC, List.of(),
                DataCenterConfig.Reader.withToken("city-bureau", BUREAU))));
        resources.add(center);
        center.start();
        return center;
    }

    private UplinkClient client(DataCenter center, String token) {
        UplinkClient c = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), token, Duration.ofSeconds(10));
        resources.add(c);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void a_box_with_a_backlog_shows_it_at_the_center_and_it_falls_to_zero_after_draining(String storage) throws Exception {
        DataCenter center = start(storage);
        MemoryOutbox outbox = new MemoryOutbox("priority", "readings");
        outbox.append("priority", 500);
        outbox.append("readings", 2_000);
        UplinkClient client = client(center, TOKEN);
        Uplink uplink = new Uplink(outbox, client, UplinkOptions.defaults(BOX).withBatchSize(100)
                .withPollInterval(Duration.ofMillis(200)).withBackoff(Duration.ofMillis(5), Duration.ofMillis(100)), new Random(7));
        resources.add(uplink);
        // Before draining: the box reports what it holds with its first request (marks), as start() would.
        client.reportBacklog(uplink::backlog);
        client.fetchMarks(BOX);

        JsonNode before = device(center, BOX);
        Instant oldestReading = MemoryOutbox.event("readings", 1).occurredAt();
        assertThat(before.get("behindEvents").asLong()).isEqualTo(2_500);
        assertThat(before.get("behindSeconds").asLong())
                .isGreaterThanOrEqualTo(Duration.between(MemoryOutbox.event("priority", 1).occurredAt(), Instant.now()).toSeconds() - 5);
        assertThat(before.get("backlog")).hasSize(2);
        assertThat(before.get("backlog").get(1).get("stream").asText()).isEqualTo("readings");
        assertThat(before.get("backlog").get(1).get("events").asLong()).isEqualTo(2_000);
        assertThat(Instant.parse(before.get("backlog").get(1).get("oldestUnsentAt").asText())).isEqualTo(oldestReading);
        assertThat(health(center).get("backlog").get("eventsBehind").asLong()).isEqualTo(2_500);

        uplink.start();
        uplink.drainedTo("priority", 500).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        uplink.drainedTo("readings", 2_000).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);

        JsonNode after = awaitDevice(center, BOX, d -> d.get("behindEvents").asLong() == 0);
        assertThat(after.get("behindSeconds").asLong()).isZero();
        assertThat(after.get("backlog")).allSatisfy(s -> assertThat(s.get("oldestUnsentAt").isNull()).isTrue());
        assertThat(health(center).get("backlog").get("devicesBehind").asLong()).isZero();
        // The store catches up within a flush interval, for provision --list and a restarted center.
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (System.nanoTime() < deadline && center.store().backlogs().getOrDefault(BOX, pending()).backlog().totalEvents() != 0) {
            Thread.sleep(100);
        }
        assertThat(center.store().backlogs().get(BOX).backlog().totalEvents()).isZero();
        assertThat(center.store().count(BOX, "readings")).isEqualTo(2_000);
    }

    @Test
    void a_box_that_never_reports_a_backlog_shows_as_unknown_not_zero() throws Exception {
        DataCenter center = start("sqlite");
        UplinkClient old = client(center, OLD_TOKEN);
        old.send(IngestBatch.of(OLD_BOX, "priority", List.of(MemoryOutbox.event("priority", 1))));

        JsonNode d = device(center, OLD_BOX);
        assertThat(d.get("lastContact").isNull()).isFalse();
        assertThat(d.get("behindEvents").isNull()).isTrue();
        assertThat(d.get("behindSeconds").isNull()).isTrue();
        assertThat(d.get("backlog").isNull()).isTrue();
        String csv = get(center, "/v1/devices?format=csv").body();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",behind_events,behind_seconds,backlog_reported_at");
        assertThat(csv.lines().filter(l -> l.startsWith(OLD_BOX + ",")).findFirst().orElseThrow()).endsWith(",,,");
    }

    @Test
    void a_garbage_backlog_is_refused_with_400_naming_the_header_and_counted() throws Exception {
        DataCenter center = start("sqlite");
        for (String garbage : List.of("priority=-1", "priority=99999999999999", "priority=1;last tuesday", "nonsense")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + "/v1/devices/" + BOX + "/streams"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("CampusEdge-Backlog", garbage)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(garbage).isEqualTo(400);
            assertThat(r.body()).as(garbage).contains("CampusEdge-Backlog");
        }

        assertThat(health(center).get("backlog").get("badReports").asLong()).isEqualTo(4);
        assertThat(center.stats().badRequests()).isEqualTo(4);
        assertThat(device(center, BOX).get("behindEvents").isNull()).isTrue();
    }

    private static ReportedBacklog pending() {
        return new ReportedBacklog(BOX, new org.campusedge.sync.wire.Backlog(java.util.Map.of("priority",
                new org.campusedge.sync.wire.Backlog.Stream(1, java.util.Optional.empty()))), Instant.EPOCH);
    }

    private JsonNode awaitDevice(DataCenter center, String id, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        JsonNode d = device(center, id);
        while (!done.test(d) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            d = device(center, id);
        }
        assertThat(done.test(d)).as("device %s reached the expected state: %s", id, d).isTrue();
        return d;
    }

    private JsonNode device(DataCenter center, String id) throws Exception {
        HttpResponse<String> r = get(center, "/v1/devices");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode d : JsonCodec.mapper().readTree(r.body()).get("devices")) {
            if (d.get("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no device " + id + " in " + r.body());
    }

    private JsonNode health(DataCenter center) throws Exception {
        return JsonCodec.mapper().readTree(get(center, "/v1/health").body());
    }

    private HttpResponse<String> get(DataCenter center, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + pathAndQuery))
                .header("Authorization", "Bearer " + BUREAU).build(), HttpResponse.BodyHandlers.ofString());
    }
}
