package org.campusedge.sync.center;

import org.campusedge.sync.http.TestCertificates;
import org.campusedge.sync.uplink.MemoryOutbox;
import org.campusedge.sync.uplink.TrustedCertificates;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException;
import org.campusedge.sync.uplink.UplinkException.Reason;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet6Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data center's front door over real sockets: HTTPS, who may come in, how much and how fast. */
class DataCenterFrontDoorIT {

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

    private DataCenter start(DataCenterConfig config) throws Exception {
        DataCenter center = closing(new DataCenter(config));
        center.start();
        return center;
    }

    private Uplink uplink(UplinkClient client, String device, MemoryOutbox outbox, int batchSize) {
        Uplink uplink = closing(new Uplink(outbox, client, UplinkOptions.defaults(device)
                .withFixedBatchSize(batchSize)
                .withPollInterval(Duration.ofMillis(200))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(150)), new Random(7)));
        uplink.start();
        return uplink;
    }

    private static void assertHoldsExactly(EventStore store, String device, String stream, long last) {
        assertThat(store.count(device, stream)).isEqualTo(last);
        assertThat(store.events(device, stream, 0, (int) last + 10)).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    }

    private HttpResponse<String> send(int port, String method, String path, String token, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] batchJson(String device, long from, long to) throws Exception {
        return JsonCodec.encode(IngestBatch.of(device, "priority",
                LongStream.rangeClosed(from, to).mapToObj(s -> MemoryOutbox.event("priority", s)).toList()));
    }

    @Test
    void the_uplink_delivers_over_https_trusting_a_private_ca_on_ipv4_and_ipv6() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] server = ca.ecServer("server");
        DataCenterConfig base = config();
        DataCenter center = start(base.withHttp(new DataCenterConfig.Http(List.of("127.0.0.1", "::1"), 0, DataCenterConfig.DEFAULT_MAX_BODY)
                .withTls(new DataCenterConfig.Tls(server[0], server[1]))));
        boolean ipv6 = center.boundAddresses().stream().anyMatch(a -> a.getAddress() instanceof Inet6Address);
        List<String> urls = new ArrayList<>(List.of("https://127.0.0.1:" + center.port(), "https://localhost:" + center.port()));
        if (ipv6) {
            urls.add("https://[::1]:" + center.port());
        }

        MemoryOutbox outbox = new MemoryOutbox("priority");
        long last = 0;
        for (String url : urls) {
            UplinkClient client = closing(new UplinkClient(URI.create(url), TOKEN, Duration.ofSeconds(5),
                    Optional.of(TrustedCertificates.trustOnly(ca.caFile())), 1024));
            last = outbox.append("priority", 400);
            Uplink uplink = uplink(client, BOX, outbox, 100);
            uplink.drainedTo("priority", last).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            uplink.close();
        }

        assertHoldsExactly(center.store(), BOX, "priority", last);
        assertThat(center.stats().duplicates()).isZero();
        assertThat(center.httpStats().transport().tlsHandshakes()).isGreaterThanOrEqualTo(urls.size());
        assertThat(center.httpStats().transport().tlsFailures()).isZero();
        assertThat(center.httpStats().transport().compressedRequests()).isPositive();
    }

    @Test
    void a_box_that_does_not_trust_the_certificate_is_refused_at_the_handshake_and_it_is_counted() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir);
        Path[] server = ca.rsaServer("server");
        DataCenter center = start(config().withHttp(new DataCenterConfig.Http(List.of("127.0.0.1"), 0, DataCenterConfig.DEFAULT_MAX_BODY)
                .withTls(new DataCenterConfig.Tls(server[0], server[1]))));
        TestCertificates otherCa = TestCertificates.ca(java.nio.file.Files.createDirectory(dir.resolve("other")));
        UplinkClient client = closing(new UplinkClient(URI.create("https://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5),
                Optional.of(TrustedCertificates.trustOnly(otherCa.caFile())), 0));

        assertThatThrownBy(() -> client.fetchMarks(BOX)).isInstanceOfSatisfying(UplinkException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NETWORK));
        Eventually.await("a counted TLS failure", WAIT, () -> center.httpStats().transport().tlsFailures() > 0);
        assertThatThrownBy(() -> send(center.port(), "GET", "/v1/health", null, null)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void tokens_missing_wrong_revoked_or_for_another_device_are_refused() throws Exception {
        DataCenter center = start(config());
        int port = center.port();
        String provisioned;
        try (DeviceStore cli = DeviceStore.open(config().registry().path())) {
            provisioned = cli.provision("school-300-box-1", "Lakeside", Instant.now());
        }

        HttpResponse<String> missing = send(port, "POST", "/v1/ingest", null, batchJson(BOX, 1, 3));
        HttpResponse<String> wrong = send(port, "GET", "/v1/devices/" + BOX + "/streams", "not-a-token-of-anyone", null);
        HttpResponse<String> fresh = send(port, "POST", "/v1/ingest", provisioned, batchJson("school-300-box-1", 1, 3));
        HttpResponse<String> foreignWrite = send(port, "POST", "/v1/ingest", TOKEN, batchJson(OTHER_BOX, 1, 3));
        HttpResponse<String> foreignRead = send(port, "GET", "/v1/devices/" + OTHER_BOX + "/streams", TOKEN, null);
        HttpResponse<String> foreignGaps = send(port, "GET", "/v1/devices/" + OTHER_BOX + "/gaps", TOKEN, null);
        try (DeviceStore cli = DeviceStore.open(config().registry().path())) {
            assertThat(cli.revoke("school-300-box-1", Instant.now())).isTrue();
        }
        HttpResponse<String> revoked = send(port, "POST", "/v1/ingest", provisioned, batchJson("school-300-box-1", 4, 6));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"campusedge\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(foreignWrite.statusCode()).isEqualTo(403);
        assertThat(foreignWrite.body()).contains("\"forbidden\"");
        assertThat(foreignRead.statusCode()).isEqualTo(403);
        assertThat(foreignGaps.statusCode()).isEqualTo(403);
        assertThat(revoked.statusCode()).isEqualTo(403);
        assertThat(revoked.body()).contains("\"revoked\"");
        assertThat(center.store().count("school-300-box-1", "priority")).isEqualTo(3);
        assertThat(center.store().count(OTHER_BOX, "priority")).isZero();
        DataCenterStats stats = center.stats();
        assertThat(stats.authFailures()).isEqualTo(2);
        assertThat(stats.forbidden()).isEqualTo(3);
        assertThat(stats.revoked()).isEqualTo(1);
        assertThat(center.devices().list()).filteredOn(d -> d.id().equals("school-300-box-1")).singleElement()
                .satisfies(d -> assertThat(d.lastContact()).isPresent());
    }

    @Test
    void bodies_over_the_limit_are_413_plain_and_as_a_gzip_bomb() throws Exception {
        DataCenter center = start(config().withHttp(new DataCenterConfig.Http(List.of("127.0.0.1"), 0, 64 * 1024)));
        byte[] plain = batchJson(BOX, 1, 1_000);
        byte[] bomb = JsonCodec.gzip(new byte[16 * 1024 * 1024]);
        assertThat(plain.length).isGreaterThan(64 * 1024);
        assertThat(bomb.length).isLessThan(64 * 1024);

        HttpResponse<String> tooLong = send(center.port(), "POST", "/v1/ingest", TOKEN, plain, "Content-Type", "application/json");
        HttpResponse<String> inflated = send(center.port(), "POST", "/v1/ingest", TOKEN, bomb,
                "Content-Type", "application/json", "Content-Encoding", "gzip");
        HttpResponse<String> fits = send(center.port(), "POST", "/v1/ingest", TOKEN, JsonCodec.gzip(batchJson(BOX, 1, 100)),
                "Content-Type", "application/json", "Content-Encoding", "gzip");

        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(inflated.statusCode()).isEqualTo(413);
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(center.httpStats().oversize()).isEqualTo(2);
        assertThat(center.store().count(BOX, "priority")).isEqualTo(100);
    }

    @Test
    void over_the_rate_limit_is_429_with_retry_after_and_the_uplink_still_delivers_everything_once() throws Exception {
        DataCenter center = start(config().withHttp(new DataCenterConfig.Http(List.of("127.0.0.1"), 0, DataCenterConfig.DEFAULT_MAX_BODY)
                .withRateLimit(new DataCenterConfig.RateLimit(4, 2))));
        int port = center.port();

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(send(port, "GET", "/v1/devices/" + OTHER_BOX + "/streams", OTHER_TOKEN, null));
        }
        assertThat(answers.get(0).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(throttled.body()).contains("too_many_requests");

        MemoryOutbox outbox = new MemoryOutbox("priority");
        long last = outbox.append("priority", 120);
        UplinkClient client = closing(new UplinkClient(URI.create("http://127.0.0.1:" + port), TOKEN, Duration.ofSeconds(5)));
        Uplink uplink = uplink(client, BOX, outbox, 10);
        uplink.drainedTo("priority", last).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertHoldsExactly(center.store(), BOX, "priority", last);
        assertThat(center.stats().duplicates()).isZero();
        assertThat(uplink.stats().failures(Reason.THROTTLED)).isPositive();
        assertThat(center.stats().throttled()).isGreaterThanOrEqualTo(uplink.stats().failures(Reason.THROTTLED) + 1);
        assertThat(center.stats().batches()).isEqualTo(12);
    }

    @Test
    void health_reports_the_front_door_counters_and_answers_gzip_to_who_accepts_it() throws Exception {
        DataCenter center = start(config());
        send(center.port(), "GET", "/v1/devices/" + BOX + "/streams", null, null);

        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + "/v1/health"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        String health = zipped.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                ? new String(JsonCodec.gunzip(zipped.body(), 1 << 20), java.nio.charset.StandardCharsets.UTF_8)
                : new String(zipped.body(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(health).contains("\"authFailures\":1", "\"revoked\":0", "\"throttled\":0", "\"tlsFailures\":0",
                "\"compressedResponses\"", "\"oversize\":0");
    }
}
