package org.campusedge.agent.http;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.ReadingBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/events} and {@code /api/events.csv} against a real agent's HTTP server: the filters
 * (room, type, time range, card), cursor paging, the CSV export (BOM, header language, RFC 4180
 * quoting, formula-safe cells, a 20,000-event export sent in chunks), hostile input answered 400 and
 * counted, and who may read (anonymous 401, a viewer's token and session allowed).
 */
class EventsApiIT {

    private static final String VIEWER_TOKEN = "viewer-token-7f3a91c2d4e8";
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Agent agent;
    private String base;

    @BeforeEach
    void start() throws Exception {
        UsersFile.put(dir.resolve("users"), new Account("viewer-1", Role.VIEWER, PasswordHash.create("viewer-password".toCharArray(), 1_000)));
        Files.writeString(dir.resolve("viewer.token"), VIEWER_TOKEN + "\n");
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-events, school: IT School, time-zone: Asia/Shanghai}
                rooms: [{id: maker-1, type: maker-space, capacity: 20}, {id: studio-1, type: recording-studio, capacity: 4}]
                storage: {path: agent/journal.db, durability: normal}
                http:
                  bind: [localhost]
                  port: 0
                  users-file: users
                  tokens: [{name: monitoring, role: viewer, token-file: viewer.token}]
                """);
        agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults());
        base = "http://127.0.0.1:" + agent.httpPort();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private void tap(Instant at, String room, String card, String person, boolean granted, String reason) {
        String payload = "{\"reader\":\"r1\",\"room\":\"" + room + "\",\"card\":\"" + card + "\",\"granted\":" + granted
                + ",\"reason\":\"" + reason + "\"" + (person == null ? "" : ",\"person\":" + JsonQuote.of(person)) + "}";
        agent.journal().append(new JournalEntry(EventType.ACCESS_DECISION, at, Optional.of(room), payload)).join();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + VIEWER_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void filters_by_room_type_time_range_and_card_and_pages_with_the_cursor() throws Exception {
        for (int i = 0; i < 30; i++) {
            tap(T0.plusSeconds(60L * i), i % 2 == 0 ? "maker-1" : "studio-1", i % 3 == 0 ? "0A00D6E3F2" : "77AB12", "S-" + i, i % 5 != 0,
                    i % 5 != 0 ? "granted" : "unknown_card");
        }
        agent.journal().appendAll(List.of(JournalEntry.reading(new ReadingBody("maker-1", "bench", "co2", "ppm", 640, "t"),
                T0.plusSeconds(90)))).join();

        JsonNode card = json("/api/events?card=0A00D6E3F2&room=maker-1&limit=100");
        // i % 3 == 0 and even: 0, 6, 12, 18, 24
        assertThat(card.path("events")).hasSize(5).allSatisfy(e -> {
            assertThat(e.path("payload").path("card").asText()).isEqualTo("0A00D6E3F2");
            assertThat(e.path("room").asText()).isEqualTo("maker-1");
        });
        assertThat(card.path("events").get(0).path("payload").path("person").asText()).isEqualTo("S-24");
        assertThat(card.path("next").isNull()).isTrue();
        assertThat(card.path("timeZone").asText()).isEqualTo("Asia/Shanghai");

        // 08:05 to 08:10 in Shanghai, sent as instants with an offset: minutes 5..9.
        JsonNode window = json("/api/events?type=access.decision&since=" + q("2026-11-29T08:05:00+08:00") + "&until=" + q("2026-11-29T08:10:00+08:00"));
        assertThat(window.path("events")).extracting(e -> e.path("payload").path("person").asText())
                .containsExactly("S-9", "S-8", "S-7", "S-6", "S-5");

        // The reading is included unless filtered out, merged by time (and the agent's own start event). The
        // aggregator runs on the real clock, long past T0, so the reading's minute may be summed meanwhile: its
        // sensor.aggregate event is no part of what this counts.
        assertThat(json("/api/events?limit=1000").path("events"))
                .filteredOn(e -> !e.path("type").asText().equals("sensor.aggregate")).hasSize(32);
        assertThat(json("/api/events?stream=priority&limit=1000").path("events")).hasSize(31);

        // Pages of 7: every tap once, newest first, then no cursor.
        List<String> persons = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = json("/api/events?type=access.decision&limit=7" + (next == null ? "" : "&before=" + q(next)));
            page.path("events").forEach(e -> persons.add(e.path("payload").path("person").asText()));
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 20);
        assertThat(pages).isEqualTo(5);
        List<String> expected = new ArrayList<>();
        for (int i = 29; i >= 0; i--) {
            expected.add("S-" + i);
        }
        assertThat(persons).containsExactlyElementsOf(expected);
    }

    @Test
    void exports_csv_with_bom_header_language_quoting_and_formula_safe_cells() throws Exception {
        tap(T0, "maker-1", "0A00D6E3F2", "=HYPERLINK(\"http://evil\",\"x\")", true, "granted");
        tap(T0.plusSeconds(1), "maker-1", "77AB12", "王小明, 三年二班", false, "room_not_permitted");
        tap(T0.plusSeconds(2), "studio-1", "77AB12", "@SUM(A1)", true, "granted");

        HttpResponse<byte[]> zh = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/events.csv?room=maker-1"))
                .header("Authorization", "Bearer " + VIEWER_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zh.statusCode()).isEqualTo(200);
        assertThat(zh.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(zh.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"campus-edge-events-"
                + LocalDate.now(ZoneId.of("Asia/Shanghai")) + ".csv\"");
        byte[] body = zh.body();
        assertThat(body).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("时间,类型,房间,卡号,人员,结果,详情,数据流,序号");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("2026-11-29T08:00:01+08:00,access.decision,maker-1,77AB12,\"王小明, 三年二班\",denied: room_not_permitted,\"{");
        assertThat(lines.get(2)).startsWith("2026-11-29T08:00:00+08:00,access.decision,maker-1,0A00D6E3F2,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",granted,");
        // The details cell is the payload, quotes doubled (RFC 4180 section 2, rule 7).
        assertThat(lines.get(2)).contains("\"\"person\"\":\"\"=HYPERLINK(");

        String en = get("/api/events.csv?lang=en&card=77AB12").body();
        assertThat(en).startsWith("\uFEFFtime,type,room,card,person,result,details,stream,seq\r\n");
        assertThat(en).contains(",'@SUM(A1),");
    }

    @Test
    void a_large_export_is_streamed_in_chunks_with_every_row() throws Exception {
        int n = 20_000;
        List<JournalEntry> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new JournalEntry(EventType.ACCESS_DECISION, T0.plusMillis(i * 10L), Optional.of("maker-1"),
                    "{\"card\":\"C" + i + "\",\"granted\":true,\"reason\":\"granted\",\"person\":\"学生 " + i + "\"}"));
            if (batch.size() == 1000) {
                agent.journal().appendAll(batch).join();
                batch.clear();
            }
        }
        // Read as it arrives, off a raw socket, to see the chunked coding itself.
        try (Socket s = new Socket("127.0.0.1", agent.httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/events.csv?type=access.decision HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + VIEWER_TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked")
                    .doesNotContainIgnoringCase("content-length");
            BufferedReader csv = new BufferedReader(new InputStreamReader(new ChunkedInput(in), StandardCharsets.UTF_8));
            assertThat(csv.readLine()).isEqualTo("\uFEFF时间,类型,房间,卡号,人员,结果,详情,数据流,序号");
            Set<String> cards = new HashSet<>();
            String line;
            String first = null;
            String last = null;
            while ((line = csv.readLine()) != null) {
                cards.add(line.split(",")[3]);
                if (first == null) {
                    first = line;
                }
                last = line;
            }
            assertThat(cards).hasSize(n);
            assertThat(first.split(",")[3]).isEqualTo("C" + (n - 1));
            assertThat(last.split(",")[3]).isEqualTo("C0");
        }
        // A bounded export stops where asked.
        assertThat(get("/api/events.csv?limit=1500&lang=en").body().split("\r\n")).hasSize(1501);
    }

    @Test
    void hostile_input_is_refused_with_the_parameter_named_and_counted() throws Exception {
        long before4xx = counter("campus_edge_http_responses_total{status=\"4xx\"}");
        List<String[]> cases = List.of(
                new String[] {"/api/events?since=yesterday", "since"},
                new String[] {"/api/events?until=2026-13-45T99:00:00Z", "until"},
                new String[] {"/api/events?since=2026-11-29T10:00:00Z&until=2026-11-29T09:00:00Z", "until"},
                new String[] {"/api/events?card=" + q("0A' OR '1'='1"), "card"},
                new String[] {"/api/events?card=" + "A".repeat(65), "card"},
                new String[] {"/api/events?before=" + q("e1.priority.1;DROP TABLE events"), "before"},
                new String[] {"/api/events?before=" + "r1".repeat(300), "before"},
                new String[] {"/api/events?limit=1001", "limit"},
                new String[] {"/api/events?limit=" + "9".repeat(30), "limit"},
                new String[] {"/api/events?room=" + q("../../etc/passwd"), "room"},
                new String[] {"/api/events?type=" + q("access.decision\u0000"), "type"},
                new String[] {"/api/events.csv?lang=fr", "lang"},
                new String[] {"/api/events.csv?limit=100001", "limit"});
        for (String[] c : cases) {
            HttpResponse<String> r = get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains("\"error\":\"bad_query\"").contains(c[1]);
        }
        // A query string beyond the request-line limit, and file names aimed outside the routes.
        assertThat(get("/api/events?card=" + "A".repeat(20_000)).statusCode()).isIn(400, 414);
        assertThat(rawStatus("/api/events.csv?since=%ZZ")).as("a broken escape (java.net.URI will not send it)").isEqualTo(400);
        for (String path : List.of("/api/events.csv/../../etc/passwd", "/api/..%2f..%2fetc%2fpasswd", "/assets/..%2fevents.csv",
                "/events/../../etc/passwd", "/health/%2e%2e/%2e%2e/etc/passwd")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).doesNotContain("root:");
        }
        assertThat(counter("campus_edge_http_responses_total{status=\"4xx\"}") - before4xx).isGreaterThanOrEqualTo(cases.size() + 7);
        assertThat(get("/api/health").statusCode()).as("the agent carries on").isEqualTo(200);
    }

    @Test
    void anonymous_callers_get_401_and_viewers_read_events_by_token_or_session() throws Exception {
        for (String path : List.of("/api/events", "/api/events.csv", "/api/health")) {
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("access.decision");
        }
        tap(T0, "maker-1", "0A00D6E3F2", "S-1", true, "granted");
        assertThat(get("/api/events.csv").body()).contains("0A00D6E3F2");
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"viewer-1\",\"password\":\"viewer-password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        for (String path : List.of("/api/events?card=0A00D6E3F2", "/api/events.csv?card=0A00D6E3F2", "/events", "/health")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("a page sends a visitor to log in").isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/login?next=%2Fevents");
    }

    @Test
    void health_tells_version_uptime_time_zone_disk_and_sensors() throws Exception {
        JsonNode h = json("/api/health");
        assertThat(h.path("version").asText()).isNotBlank();
        assertThat(h.path("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(h.path("timeZone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(h.path("disk").path("totalBytes").asLong()).isGreaterThan(0);
        assertThat(h.path("disk").path("freeBytes").asLong()).isBetween(1L, h.path("disk").path("totalBytes").asLong());
        assertThat(h.path("storage").path("budgetBytes").asLong()).isGreaterThan(0);
        assertThat(h.path("sensors").isArray()).isTrue();
        assertThat(h.path("journal").path("commits").isNumber()).isTrue();
    }

    private long counter(String sample) throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return (long) Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        throw new AssertionError("no " + sample + " in /metrics");
    }

    /** The status of a GET of {@code target} sent byte for byte over a raw socket. */
    private int rawStatus(String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.httpPort())) {
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + VIEWER_TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("connection closed in the head: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** Reads a chunked body (RFC 9112 section 7.1), ending at the last chunk. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line();
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new java.io.EOFException("body ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(); // the CRLF after the chunk
            }
            return n;
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new java.io.EOFException("body ended in a chunk header");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }

    /** A JSON string literal for test payloads. */
    private static final class JsonQuote {
        static String of(String s) {
            try {
                return JSON.writeValueAsString(s);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
