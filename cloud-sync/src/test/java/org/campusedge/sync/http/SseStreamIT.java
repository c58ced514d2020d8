package org.campusedge.sync.http;

import org.campusedge.sync.http.SseTestClient.Item;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class SseStreamIT {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private SseHub hub;
    private HttpServer server;
    /** Whether clients of {@code /leased} may still have their stream. */
    private final AtomicBoolean leaseValid = new AtomicBoolean(true);

    /** {@code /stream?topics=a,b} streams those event names (all if absent); an unknown topic is a 400. */
    private Router router(SseHub h) {
        return new Router()
                .get("/hello", (req, p) -> HttpReply.json(200, "{\"hello\":true}"))
                .stream("/stream", (req, p) -> {
                    Set<String> topics = req.queryParam("topics")
                            .map(t -> Set.of(t.split(","))).orElse(Set.of());
                    if (topics.contains("bogus")) {
                        return SseAnswer.refuse(HttpReply.error(400, "bad_topics", "unknown topic bogus"));
                    }
                    return SseAnswer.subscribe(h, e -> topics.isEmpty() || topics.contains(e.name()));
                })
                .stream("/leased", (req, p) -> SseAnswer.subscribe(h, e -> true, leaseValid::get));
    }

    private HttpServer start(SseSettings settings, List<String> hosts) throws HttpBindException {
        hub = new SseHub("test-hub", settings);
        server = new HttpServer("sse-test", hosts, 0, 4096, router(hub));
        server.start();
        return server;
    }

    private HttpServer start(SseSettings settings) throws HttpBindException {
        return start(settings, List.of("127.0.0.1"));
    }

    private String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    private SseTestClient subscribe(String pathAndQuery, String lastEventId) throws Exception {
        SseTestClient c = SseTestClient.open(client, url(pathAndQuery), lastEventId);
        open.add(c);
        return c;
    }

    private SseTestClient subscribe(String pathAndQuery) throws Exception {
        return subscribe(pathAndQuery, null);
    }

    /** Waits until {@code n} streams are attached to the hub, so a publish reaches them. */
    private void awaitStreams(int n) throws InterruptedException {
        await("open streams == " + n, () -> hub.openStreams() == n && server.stats().streams().open() == n);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SseTestClient.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A raw-socket subscriber: the test decides when (and whether) it reads. */
    private Socket rawSubscribe(String request, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        open.add(s);
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout((int) SseTestClient.WAIT.toMillis());
        RawHttp.write(s, request);
        return s;
    }

    /** Reads the response head off a raw socket, header names in lower case. */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        Map<String, String> head = new HashMap<>();
        String status = line(in);
        head.put(":status", status.split(" ")[1]);
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            head.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        return head;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("EOF in a line");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void streams_events_to_clients_over_ipv4_and_ipv6_with_event_stream_headers() throws Exception {
        start(SseSettings.defaults(), List.of("127.0.0.1", "::1"));
        SseTestClient v4 = subscribe("/stream");
        SseTestClient v6 = SseTestClient.open(client, "http://[::1]:" + server.port() + "/stream");
        open.add(v6);
        awaitStreams(2);

        SseEvent sent = hub.publish("room", "room/studio-1", "{\"room\":\"studio-1\",\"occupants\":3}");

        for (SseTestClient c : List.of(v4, v6)) {
            HttpResponse<InputStream> r = c.response();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(r.headers().firstValue("x-accel-buffering")).hasValue("no");
            assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
            assertThat(c.nextOf(Item.Kind.RETRY).data()).isEqualTo("3000");
            assertThat(c.nextEvent()).isEqualTo(new Item(Item.Kind.EVENT, sent.id(), "room",
                    "{\"room\":\"studio-1\",\"occupants\":3}"));
        }
        assertThat(server.stats().streams().eventsSent()).isEqualTo(2);
    }

    @Test
    void a_stream_whose_lease_runs_out_ends_cleanly_when_the_hub_rechecks_and_others_go_on() throws Exception {
        start(SseSettings.defaults());
        SseTestClient leased = subscribe("/leased");
        SseTestClient free = subscribe("/stream");
        awaitStreams(2);
        SseEvent before = hub.publish("tap", "{\"n\":1}");
        assertThat(leased.nextEvent().id()).isEqualTo(before.id());

        hub.recheckLeases();
        hub.publish("tap", "{\"n\":2}");
        assertThat(leased.nextEvent().data()).as("a valid lease keeps the stream").isEqualTo("{\"n\":2}");

        leaseValid.set(false);
        hub.recheckLeases();
        assertThat(leased.nextEvent().kind()).as("clean end: the last chunk, not a reset").isEqualTo(Item.Kind.END);
        awaitStreams(1);
        assertThat(server.stats().streams().leasesEnded()).isEqualTo(1);
        SseEvent after = hub.publish("tap", "{\"n\":3}");
        assertThat(free.nextEvent().id()).isEqualTo(before.id());
        assertThat(free.nextEvent().data()).isEqualTo("{\"n\":2}");
        assertThat(free.nextEvent().id()).as("a stream without a lease is not touched").isEqualTo(after.id());
    }

    @Test
    void a_lease_that_runs_out_by_itself_is_noticed_at_the_next_heartbeat() throws Exception {
        start(SseSettings.defaults().withHeartbeat(Duration.ofMillis(100)));
        SseTestClient leased = subscribe("/leased");
        awaitStreams(1);
        leaseValid.set(false);
        assertThat(leased.nextEvent().kind()).isEqualTo(Item.Kind.END);
        awaitStreams(0);
        assertThat(server.stats().streams().leasesEnded()).isEqualTo(1);
    }

    @Test
    void multi_line_data_arrives_as_one_event_with_its_line_breaks() throws Exception {
        start(SseSettings.defaults());
        SseTestClient c = subscribe("/stream");
        awaitStreams(1);

        hub.publish("note", "{\n  \"a\": 1,\r\n  \"b\": \"x\"\r}");

        assertThat(c.nextEvent().data()).isEqualTo("{\n  \"a\": 1,\n  \"b\": \"x\"\n}");
    }

    @Test
    void filters_by_the_predicate_the_route_supplies() throws Exception {
        start(SseSettings.defaults());
        SseTestClient alarms = subscribe("/stream?topics=alarm,tap");
        awaitStreams(1);

        hub.publish("room", "room/a", "{}");
        hub.publish("alarm", "{\"n\":1}");
        hub.publish("room", "room/b", "{}");
        hub.publish("tap", "{\"n\":2}");

        assertThat(alarms.nextEvent().event()).isEqualTo("alarm");
        assertThat(alarms.nextEvent().event()).isEqualTo("tap");
    }

    @Test
    void replays_missed_events_after_last_event_id() throws Exception {
        start(SseSettings.defaults());
        SseEvent seen = hub.publish("tap", "{\"n\":1}");
        SseEvent missed1 = hub.publish("tap", "{\"n\":2}");
        SseEvent missed2 = hub.publish("alarm", "{\"n\":3}");

        SseTestClient c = subscribe("/stream", seen.id());
        awaitStreams(1);
        SseEvent live = hub.publish("tap", "{\"n\":4}");

        assertThat(List.of(c.nextEvent().id(), c.nextEvent().id(), c.nextEvent().id()))
                .containsExactly(missed1.id(), missed2.id(), live.id());
    }

    @Test
    void resumes_after_the_last_event_id_query_parameter_without_the_header() throws Exception {
        start(SseSettings.defaults());
        SseEvent inSnapshot = hub.publish("room", "room/a", "{\"n\":1}");
        SseEvent afterSnapshot = hub.publish("room", "room/a", "{\"n\":2}");

        SseTestClient c = subscribe("/stream?lastEventId=" + inSnapshot.id());

        assertThat(c.nextEvent().id()).isEqualTo(afterSnapshot.id());
    }

    @Test
    void client_whose_socket_stays_full_is_disconnected_after_some_heartbeats() throws Exception {
        start(SseSettings.defaults().withHeartbeat(Duration.ofMillis(20)));
        Socket stalled = rawSubscribe("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
        awaitStreams(1);
        // Room updates coalesce, so its queue never overflows; only the heartbeat notices.
        String pad = "x".repeat(8192);
        for (int i = 0; hub.openStreams() == 1; i++) {
            assertThat(i).as("updates published before the stalled client was dropped").isLessThan(10_000_000);
            hub.publish("room", "room/a", "{\"pad\":\"" + pad + "\"}");
            if (i % 100 == 0) {
                Thread.sleep(1);
            }
        }
        assertThat(server.stats().streams().slowDisconnects()).isEqualTo(1);
        // The connection is closed: reading what the kernel buffered ends in EOF or a reset,
        // not in the read timeout.
        try {
            stalled.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    @Test
    void too_old_last_event_id_gets_a_reset_event_with_the_latest_id() throws Exception {
        start(SseSettings.defaults().withReplayCapacity(2));
        SseEvent old = hub.publish("tap", "{}");
        for (int i = 0; i < 3; i++) {
            hub.publish("tap", "{}");
        }
        SseTestClient c = subscribe("/stream", old.id());
        awaitStreams(1);
        SseEvent live = hub.publish("tap", "{}");

        Item reset = c.nextEvent();
        assertThat(reset.event()).isEqualTo(SseHub.RESET_EVENT);
        assertThat(reset.data()).contains("too_old");
        assertThat(reset.seq()).isEqualTo(live.seq() - 1);
        assertThat(c.nextEvent().id()).isEqualTo(live.id());
    }

    @Test
    void sends_heartbeat_comments() throws Exception {
        start(SseSettings.defaults().withHeartbeat(Duration.ofMillis(50)));
        SseTestClient c = subscribe("/stream");

        assertThat(c.nextOf(Item.Kind.COMMENT).data()).isEqualTo("ping");
        assertThat(c.nextOf(Item.Kind.COMMENT).data()).isEqualTo("ping");
    }

    @Test
    void client_that_stops_reading_is_disconnected_without_stalling_a_fast_one() throws Exception {
        start(SseSettings.defaults().withQueueCapacity(16));
        SseTestClient fast = subscribe("/stream");
        Socket slow = rawSubscribe("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
        awaitStreams(2);
        assertThat(readHead(slow.getInputStream())).containsEntry(":status", "200");
        // The slow client now reads nothing more. Taps are never coalesced, so once its socket
        // buffers and its queue are full it must go; the fast client gets every tap meanwhile.
        String payload = "{\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
        long published = 0;
        while (server.stats().streams().slowDisconnects() == 0) {
            assertThat(published).as("taps published before the slow client was dropped").isLessThan(100_000);
            SseEvent e = hub.publish("tap", payload);
            published++;
            assertThat(fast.nextEvent().id()).isEqualTo(e.id());
        }

        await("the slow stream closed", () -> hub.openStreams() == 1);
        SseEvent after = hub.publish("tap", "{}");
        assertThat(fast.nextEvent().id()).isEqualTo(after.id());
        SseStats s = server.stats().streams();
        assertThat(s.slowDisconnects()).isEqualTo(1);
        assertThat(s.open()).isEqualTo(1);
    }

    @Test
    void client_that_stops_reading_gets_the_latest_value_per_key_when_it_reads_again() throws Exception {
        start(SseSettings.defaults().withQueueCapacity(16));
        Socket slow = rawSubscribe("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
        awaitStreams(1);
        InputStream in = new BufferedInputStream(slow.getInputStream());
        assertThat(readHead(in)).containsEntry(":status", "200");
        String pad = "x".repeat(1024);
        Map<String, Long> latest = new HashMap<>();
        for (int i = 0; server.stats().streams().coalesced() < 1_000; i++) {
            assertThat(i).as("room updates published before coalescing began").isLessThan(1_000_000);
            String room = "room/" + (i % 4);
            latest.put(room, hub.publish("room", room, "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}").seq());
        }
        long lastSeq = latest.values().stream().mapToLong(Long::longValue).max().orElseThrow();

        // Reads again: ids keep increasing, and the last value of every room arrives.
        Map<String, Long> got = new HashMap<>();
        long previous = 0;
        while (previous < lastSeq) {
            String l = line(in);
            if (l.startsWith("id: ")) {
                long seq = Long.parseLong(l.substring(l.lastIndexOf('-') + 1));
                assertThat(seq).isGreaterThan(previous);
                previous = seq;
                String room = "room/" + ((seq - 1) % 4);
                got.put(room, seq);
            }
        }
        assertThat(got).isEqualTo(latest);
        assertThat(server.stats().streams().slowDisconnects()).isZero();
        assertThat(hub.openStreams()).isEqualTo(1);
    }

    @Test
    void client_disconnect_frees_its_session() throws Exception {
        start(SseSettings.defaults());
        Socket s = rawSubscribe("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 0);
        awaitStreams(1);
        assertThat(readHead(s.getInputStream())).containsEntry(":status", "200");

        s.close();

        await("the session is gone", () -> hub.openStreams() == 0 && server.stats().streams().open() == 0);
        assertThat(server.stats().streams().opened()).isEqualTo(1);
    }

    @Test
    void answers_503_beyond_max_streams() throws Exception {
        start(SseSettings.defaults().withMaxStreams(1));
        subscribe("/stream");
        awaitStreams(1);

        SseTestClient second = subscribe("/stream");

        assertThat(second.response().statusCode()).isEqualTo(503);
        assertThat(second.response().headers().firstValue("retry-after")).hasValue("3");
        assertThat(second.errorBody()).contains("too_many_streams");
        assertThat(server.stats().streams().refused()).isEqualTo(1);
        assertThat(server.stats().status5xx()).isEqualTo(1);
    }

    @Test
    void refused_subscription_gets_the_route_reply() throws Exception {
        start(SseSettings.defaults());

        SseTestClient c = subscribe("/stream?topics=bogus");

        assertThat(c.response().statusCode()).isEqualTo(400);
        assertThat(c.response().headers().firstValue("content-type")).hasValue(HttpReply.JSON);
        assertThat(c.errorBody()).contains("bad_topics");
        assertThat(hub.openStreams()).isZero();
    }

    @Test
    void plain_routes_work_while_streams_are_open() throws Exception {
        start(SseSettings.defaults());
        SseTestClient c = subscribe("/stream");
        awaitStreams(1);

        HttpResponse<String> hello = client.send(HttpRequest.newBuilder(URI.create(url("/hello"))).build(),
                HttpResponse.BodyHandlers.ofString());
        SseEvent e = hub.publish("tap", "{}");

        assertThat(hello.body()).isEqualTo("{\"hello\":true}");
        assertThat(c.nextEvent().id()).isEqualTo(e.id());
    }

    @Test
    void server_close_ends_streams_with_the_last_chunk() throws Exception {
        start(SseSettings.defaults());
        SseTestClient c = subscribe("/stream");
        Socket raw = rawSubscribe("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 0);
        awaitStreams(2);
        InputStream in = raw.getInputStream();
        readHead(in);

        server.close();

        assertThat(c.nextOf(Item.Kind.END).kind()).isEqualTo(Item.Kind.END);
        String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(rest).endsWith("0\r\n\r\n");
        assertThat(hub.openStreams()).isZero();
    }

    @Test
    void hub_close_ends_its_streams_and_refuses_new_ones() throws Exception {
        start(SseSettings.defaults());
        SseTestClient c = subscribe("/stream");
        awaitStreams(1);

        hub.close();

        assertThat(c.nextOf(Item.Kind.END).kind()).isEqualTo(Item.Kind.END);
        assertThat(subscribe("/stream").response().statusCode()).isEqualTo(503);
    }

    @Test
    void http_1_0_client_gets_a_stream_delimited_by_close() throws Exception {
        start(SseSettings.defaults());
        Socket s = rawSubscribe("GET /stream HTTP/1.0\r\n\r\n", 0);
        awaitStreams(1);
        InputStream in = s.getInputStream();
        Map<String, String> head = readHead(in);
        SseEvent e = hub.publish("tap", "{\"n\":1}");

        assertThat(head).doesNotContainKey("transfer-encoding").containsEntry("connection", "close");
        assertThat(Arrays.asList(line(in), line(in), line(in), line(in), line(in), line(in)))
                .containsExactly("retry: 3000", "", "id: " + e.id(), "event: tap", "data: {\"n\":1}", "");
    }

}
