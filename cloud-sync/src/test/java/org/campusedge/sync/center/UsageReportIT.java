package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.sync.center.query.QueryStats;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The city-wide queries end to end: {@link CampusTaps} uploaded by two schools' boxes through the
 * real {@code POST /v1/ingest}, then read back by the bureau over HTTP from a data center on
 * SQLite and on PostgreSQL: exact usage figures in JSON and CSV, events page by page, devices with
 * their lag, and every refusal (no token, a device's token, bad parameters) with its counter.
 */
class UsageReportIT {

    private static final String TOKEN_A = "token-of-box-a-0001";
    private static final String TOKEN_B = "token-of-box-b-0001";
    private static final String BUREAU = "token-of-the-city-bureau";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private DataCenter start(String storage) throws Exception {
        DataCenterConfig base = DataCenterConfig.of(0, dir.resolve("center.db"), List.of(
                DataCenterConfig.DeviceEntry.withToken(CampusTaps.BOX_A, CampusTaps.RIVERSIDE, TOKEN_A),
                DataCenterConfig.DeviceEntry.withToken(CampusTaps.BOX_B, CampusTaps.HILLCREST, TOKEN_B)));
        if (storage.equals("postgresql")) {
            PostgresTestSchema schema = PostgresTestSchema.create();
            resources.add(schema);
            base = new DataCenterConfig(base.http(), DataCenterConfig.Storage.postgresql(
                    new DataCenterConfig.Postgres(schema.url(), PostgresTestSchema.USER, null, 4)), base.devices(), base.registry());
        }
        DataCenterConfig config = base.withQueries(DataCenterConfig.Queries.of(CampusTaps.ZONE, List.of(
                new DataCenterConfig.Term("2026-autumn", LocalDate.parse("2026-09-01"), LocalDate.parse("2027-01-15"))),
                DataCenterConfig.Reader.withToken("city-bureau", BUREAU)));
        DataCenter center = new DataCenter(config);
        resources.add(center);
        center.start();
        for (IngestBatch b : new CampusTaps().batches(3)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(center, "/v1/ingest"))
                    .header("Authorization", "Bearer " + (b.deviceId().equals(CampusTaps.BOX_A) ? TOKEN_A : TOKEN_B))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.encode(b))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        return center;
    }

    private static URI uri(DataCenter center, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + center.port() + pathAndQuery);
    }

    private HttpResponse<String> get(DataCenter center, String token, String pathAndQuery) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(center, pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the JDK client refuses to send: a request line as given. */
    private static String rawStatusLine(DataCenter center, String target) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", center.port())) {
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + BUREAU
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void the_bureau_gets_exact_weekly_figures_in_json_and_csv(String storage) throws Exception {
        DataCenter center = start(storage);

        HttpResponse<String> json = get(center, BUREAU, "/v1/reports/usage?period=week&from=2026-09-07&to=2026-09-20");
        HttpResponse<String> csv = get(center, BUREAU, "/v1/reports/usage?period=week&from=2026-09-07&to=2026-09-20&format=csv");

        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(json.body());
        assertThat(report.path("zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(report.path("openSessions").asInt()).isEqualTo(1);
        JsonNode riverside = report.path("rows").get(2);
        assertThat(riverside.path("school").asText()).isEqualTo(CampusTaps.RIVERSIDE);
        assertThat(riverside.path("sessions").asInt()).isEqualTo(2);
        assertThat(riverside.path("uniqueStudents").asInt()).isEqualTo(3);
        assertThat(riverside.path("occupiedHours").asDouble()).isEqualTo(9.5);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.body()).isEqualTo(String.join("\r\n",
                "period,period_start,period_end,school,room_type,rooms,sessions,unique_students,occupied_hours,granted_entries",
                "2026-W37,2026-09-07,2026-09-13,\"Hillcrest, Secondary\",recording-studio,1,1,1,0.50,1",
                "2026-W37,2026-09-07,2026-09-13,\"Hillcrest, Secondary\",unknown,1,1,1,0.25,1",
                "2026-W37,2026-09-07,2026-09-13,Riverside Primary,recording-studio,1,2,3,9.50,3",
                "2026-W37,2026-09-07,2026-09-13,ALL,recording-studio,2,3,4,10.00,4",
                "2026-W37,2026-09-07,2026-09-13,ALL,unknown,1,1,1,0.25,1",
                "2026-W38,2026-09-14,2026-09-20,Riverside Primary,recording-studio,1,2,3,1.50,3",
                "2026-W38,2026-09-14,2026-09-20,ALL,recording-studio,1,2,3,1.50,3", ""));
    }

    @Test
    void monthly_and_term_figures_one_school_and_the_chinese_table() throws Exception {
        DataCenter center = start("sqlite");

        String month = get(center, BUREAU, "/v1/reports/usage?period=month&from=2026-09-01&to=2026-09-30&format=csv"
                + "&school=Riverside%20Primary").body();
        String term = get(center, BUREAU, "/v1/reports/usage?period=term&format=csv&lang=zh-CN").body();

        assertThat(month).isEqualTo("period,period_start,period_end,school,room_type,rooms,sessions,unique_students,"
                + "occupied_hours,granted_entries\r\n"
                + "2026-09,2026-09-01,2026-09-30,Riverside Primary,recording-studio,1,4,6,11.00,6\r\n"
                + "2026-09,2026-09-01,2026-09-30,ALL,recording-studio,1,4,6,11.00,6\r\n");
        assertThat(term).startsWith("\uFEFF统计周期,开始日期,结束日期,学校,功能室类型,功能室数,使用次数,使用学生数（去重）,使用时长（小时）,刷卡进入次数\r\n")
                .contains("2026-autumn,2026-09-01,2027-01-15,全市合计,录播室,2,5,7,11.50,7\r\n")
                .contains("2026-autumn,2026-09-01,2027-01-15,全市合计,未标明,1,1,1,0.25,1\r\n");
    }

    @Test
    void events_come_page_by_page_by_school_room_and_type() throws Exception {
        DataCenter center = start("sqlite");
        List<Long> seqs = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get(center, BUREAU, "/v1/events?school=Riverside%20Primary&room=studio-1"
                    + "&type=access.decision&from=2026-09-01&to=2026-09-30&limit=4" + (next == null ? "" : "&after=" + next)).body());
            page.path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
            assertThat(page.path("events").get(0).path("payload").path("room").asText()).isEqualTo("studio-1");
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null);

        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L);
        assertThat(pages).isEqualTo(3);
        String csv = get(center, BUREAU, "/v1/events?device=box-b&from=2026-09-09&to=2026-09-09&format=csv").body();
        assertThat(List.of(csv.split("\r\n"))).hasSize(3).first().isEqualTo("device,school,stream,seq,type,occurred_at,received_at,payload");
    }

    @Test
    void devices_show_school_last_contact_and_lag_per_stream() throws Exception {
        DataCenter center = start("sqlite");

        JsonNode devices = JSON.readTree(get(center, BUREAU, "/v1/devices?school=Riverside%20Primary").body()).path("devices");

        assertThat(devices).hasSize(1);
        JsonNode a = devices.get(0);
        assertThat(a.path("id").asText()).isEqualTo(CampusTaps.BOX_A);
        assertThat(a.path("lastContact").isTextual()).isTrue();
        JsonNode priority = a.path("streams").get(0);
        assertThat(priority.path("stream").asText()).isEqualTo("priority");
        assertThat(priority.path("ackedSeq").asLong()).isEqualTo(11);
        assertThat(priority.path("newestOccurredAt").asText()).isEqualTo(CampusTaps.at("2026-09-16T09:30").toString());
        assertThat(priority.path("lagSeconds").asLong()).isPositive();
    }

    @Test
    void refusals_are_401_403_and_400_with_clear_messages_and_counted() throws Exception {
        DataCenter center = start("sqlite");

        assertThat(get(center, null, "/v1/reports/usage?period=week&from=2026-09-07&to=2026-09-20").statusCode()).isEqualTo(401);
        assertThat(get(center, "not-a-reader-token-000", "/v1/devices").statusCode()).isEqualTo(401);
        assertThat(get(center, TOKEN_A, "/v1/events").statusCode()).isEqualTo(403);
        List<String[]> bad = List.of(
                new String[]{"/v1/reports/usage?period=year&from=2026-09-01&to=2026-09-30", "period must be week, month or term"},
                new String[]{"/v1/reports/usage?period=week&from=2026-13-01&to=2026-09-30", "from must be a date such as 2026-09-01"},
                new String[]{"/v1/reports/usage?period=week&from=2026-09-30&to=2026-09-01", "is before from"},
                new String[]{"/v1/reports/usage?period=month&from=2000-01-01&to=2026-09-01", "spans more than 400 days"},
                new String[]{"/v1/reports/usage?period=week", "from and to are required"},
                new String[]{"/v1/reports/usage?period=week&period=month&from=2026-09-01&to=2026-09-02", "period is given 2 times"},
                new String[]{"/v1/events?limit=1000000", "limit must be a whole number from 1 to 1000"},
                new String[]{"/v1/events?after=garbage", "not a cursor this server gave out"},
                new String[]{"/v1/events?from=yesterday", "from must be a date (2026-09-01) or an instant"},
                new String[]{"/v1/events?sql=drop", "unknown parameter \"sql\""},
                new String[]{"/v1/devices?format=xml", "format must be one of json, csv"});
        for (String[] b : bad) {
            HttpResponse<String> r = get(center, BUREAU, b[0]);
            assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("message").asText()).as(b[0]).contains(b[1]);
        }
        long clientErrors = center.httpStats().status4xx();
        assertThat(rawStatusLine(center, "/v1/events?room=%zz")).as("a malformed query string").startsWith("HTTP/1.1 400");
        assertThat(center.httpStats().status4xx()).isEqualTo(clientErrors + 1);

        QueryStats stats = center.queryStats();
        assertThat(stats.unauthorized()).isEqualTo(2);
        assertThat(stats.forbidden()).isEqualTo(1);
        assertThat(stats.badRequests()).isEqualTo(bad.size());
        assertThat(JSON.readTree(get(center, null, "/v1/health").body()).path("queries").path("badRequests").asLong())
                .isEqualTo(bad.size());
    }
}
