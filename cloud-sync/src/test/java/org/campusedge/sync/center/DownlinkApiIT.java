package org.campusedge.sync.center;

import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The downlink's HTTP surface on a real data center on loopback: device fetches, long-polls, management. */
class DownlinkApiIT {

    private static final String BOX = "school-042-box-1";
    private static final String OTHER_BOX = "school-107-box-1";
    private static final String TOKEN = "token-of-school-042-box-1";
    private static final String OTHER_TOKEN = "token-of-school-107-box-1";
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String CSV = "card_id,person,rooms,valid_from,valid_until,groups\n";

    @TempDir
    Path dir;
    private DataCenter center;
    private UplinkClient box;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        DataCenterConfig base = DataCenterConfig.of(0, dir.resolve("center.db"), List.of(
                DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside", TOKEN),
                DataCenterConfig.DeviceEntry.withToken(OTHER_BOX, "Hilltop", OTHER_TOKEN)));
        center = new DataCenter(base.withDownlink(base.downlink().withAdminToken(ADMIN)));
        center.start();
        box = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        box.close();
        center.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + center.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_card_put_by_a_manager_reaches_the_schools_box_and_not_another_school() throws Exception {
        HttpResponse<String> put = send("PUT", "/v1/downlink/schools/Riverside/card/0a00d6e3f2", ADMIN,
                "{\"person\":\"S-0117\",\"rooms\":[\"studio-1\"]}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("\"version\":1");

        DownlinkDelta d = box.fetchDownlink(BOX, 0, Duration.ZERO);
        assertThat(d.snapshot()).isTrue();
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("0A00D6E3F2");
            assertThat(c.value().get("person").asText()).isEqualTo("S-0117");
        });
        try (UplinkClient other = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), OTHER_TOKEN, Duration.ofSeconds(5))) {
            assertThat(other.fetchDownlink(OTHER_BOX, 0, Duration.ZERO).changes()).isEmpty();
            assertThatThrownBy(() -> other.fetchDownlink(BOX, 0, Duration.ZERO))
                    .isInstanceOf(UplinkException.class).hasMessageContaining("403");
        }
    }

    @Test
    void management_needs_the_admin_token_and_a_device_token_is_not_one() throws Exception {
        assertThat(send("GET", "/v1/downlink/status", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/downlink/status", TOKEN, null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/v1/downlink/schools/Riverside/card/0A01", TOKEN, "{\"person\":\"x\",\"rooms\":[\"*\"]}")
                .statusCode()).isEqualTo(401);
        assertThat(center.downlink().version()).isZero();
    }

    @Test
    void a_long_poll_answers_when_a_change_arrives() throws Exception {
        CompletableFuture<DownlinkDelta> poll = box.downlink(BOX, 0, Duration.ofSeconds(25));
        Thread.sleep(300);
        assertThat(poll).isNotDone();
        send("PUT", "/v1/downlink/schools/Riverside/holiday/national-day", ADMIN, "{\"name\":\"National Day\",\"from\":\"2026-10-01\"}");
        DownlinkDelta d = poll.get(20, TimeUnit.SECONDS);
        assertThat(d.changes()).extracting(c -> c.kind() + ":" + c.key()).containsExactly("holiday:national-day");
    }

    @Test
    void a_malformed_csv_line_is_refused_naming_line_and_column_and_nothing_is_applied() throws Exception {
        send("POST", "/v1/downlink/schools/Riverside/cards", ADMIN, CSV + "0A01,S-1,*,,,\n");
        HttpResponse<String> bad = send("POST", "/v1/downlink/schools/Riverside/cards?replace=true", ADMIN,
                CSV + "0A02,S-2,*,,,\n0A03,S-3,*,2026-13-01,,\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("body:3: column 4 (valid_from)");
        assertThat(center.downlink().version()).isEqualTo(1);
        assertThat(box.fetchDownlink(BOX, 0, Duration.ZERO).changes()).extracting(c -> c.key()).containsExactly("0A01");
        assertThat(send("GET", "/v1/downlink/status", ADMIN, null).body()).contains("\"badRequests\":1");
    }

    @Test
    void a_replacing_csv_import_revokes_the_cards_it_leaves_out_and_the_status_shows_each_boxs_version() throws Exception {
        send("POST", "/v1/downlink/schools/Riverside/cards", ADMIN, CSV + "0A01,S-1,*,,,\n0A02,S-2,*,,,\n");
        DownlinkDelta first = box.fetchDownlink(BOX, 0, Duration.ZERO);
        send("POST", "/v1/downlink/schools/Riverside/cards?replace=true", ADMIN, CSV + "0A02,S-2,*,,,\n");
        DownlinkDelta second = box.fetchDownlink(BOX, first.version(), Duration.ZERO);
        assertThat(second.snapshot()).isFalse();
        assertThat(second.changes()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("0A01");
            assertThat(c.removed()).isTrue();
        });
        box.fetchDownlink(BOX, second.version(), Duration.ZERO);
        HttpResponse<String> status = send("GET", "/v1/downlink/status", ADMIN, null);
        assertThat(status.body()).contains("\"version\":2").contains("\"device\":\"" + BOX + "\"")
                .contains("\"runningVersion\":2").contains("\"current\":true");
    }

    @Test
    void a_policy_yaml_sets_rooms_schedules_holidays_and_alarm_rules_and_a_bad_one_names_the_entry() throws Exception {
        HttpResponse<String> ok = send("POST", "/v1/downlink/schools/Riverside/policy", ADMIN, """
                rooms:
                  studio-1: {capacity: 12, anti-passback: true}
                schedules:
                  studio-1:
                    - {groups: [media-club], days: [mon-fri], from: "15:30", to: "17:30"}
                holidays:
                  - {id: national-day, name: National Day, from: 2026-10-01, to: 2026-10-07}
                alarm-rules:
                  - {id: co2-high, kind: threshold, metric: co2, above: 1500}
                """);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"changed\":4");
        HttpResponse<String> bad = send("POST", "/v1/downlink/schools/Riverside/policy", ADMIN, """
                schedules:
                  studio-1:
                    - {groups: [media-club], from: "25:00"}
                """);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("schedules.studio-1").contains("25:00");
        assertThat(center.downlink().version()).isEqualTo(1);
    }
}
