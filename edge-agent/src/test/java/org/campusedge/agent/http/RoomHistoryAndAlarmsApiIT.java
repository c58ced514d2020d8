package org.campusedge.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.rooms.RoomStateStore;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomsState;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/rooms/{id}/history}, {@code GET /api/alarms} and {@code POST /api/alarms/{id}/ack}
 * against a real agent (embedded MQTT broker, a sensor publishing over it, accounts and tokens):
 * answers, authentication and roles, CSRF, hostile query strings, the live stream, and an
 * acknowledgement that survives a restart.
 */
class RoomHistoryAndAlarmsApiIT {

    private static final String VIEWER_TOKEN = "viewer-token-7c1d9e0b2a44";
    private static final String OPERATOR_TOKEN = "operator-token-3f6a8b1c5d2e";
    private static final String ALARM = "maker-hot:maker-1:bench-1";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private AgentConfig config;
    private Agent agent;
    private MqttClient sensor;

    @BeforeEach
    void start() throws Exception {
        UsersFile.put(dir.resolve("users"), new Account("viewer-1", Role.VIEWER, PasswordHash.create("viewer-password".toCharArray(), 1_000)));
        UsersFile.put(dir.resolve("users"), new Account("manager-1", Role.MANAGER, PasswordHash.create("manager-password".toCharArray(), 1_000)));
        Files.writeString(dir.resolve("viewer.token"), VIEWER_TOKEN + "\n");
        Files.writeString(dir.resolve("operator.token"), OPERATOR_TOKEN + "\n");
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-history, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: maker-1, name: Maker Space, type: maker-space, capacity: 20}
                  - {id: studio-1, type: recording-studio, capacity: 4}
                storage: {path: agent/journal.db, durability: normal}
                http:
                  bind: [localhost]
                  port: 0
                  users-file: users
                  operator-token-file: operator.token
                  tokens: [{name: monitoring, role: viewer, token-file: viewer.token}]
                broker: {bind: [localhost], port: 0}
                mqtt: {url: embedded, status-topic: "history-it/status"}
                sensors:
                  - {preset: json, topic: "school/maker/+/env", room: maker-1}
                alarms:
                  - {id: maker-hot, room-types: [maker-space], metric: temperature, above: 35, hysteresis: 2, for: 1s,
                     severity: critical, message: too hot}
                """);
        config = AgentConfigLoader.load(cfg);
        startAgent();
    }

    private void startAgent() throws Exception {
        agent = Agent.start(config, AgentOptions.defaults());
        sensor = new MqttClient("tcp://127.0.0.1:" + agent.broker().orElseThrow().port(), "history-it", new MemoryPersistence());
        sensor.connect();
        CountDownLatch subscribed = new CountDownLatch(1);
        sensor.subscribe("history-it/status", 1, (topic, message) -> {
            if (new String(message.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                subscribed.countDown();
            }
        });
        assertThat(subscribed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the agent's MQTT ingest says online").isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        stopAgent();
    }

    private void stopAgent() throws Exception {
        if (sensor != null) {
            if (sensor.isConnected()) {
                sensor.disconnect();
            }
            sensor.close();
            sensor = null;
        }
        if (agent != null) {
            agent.close();
        }
    }

    private void publish(String json) throws Exception {
        sensor.publish("school/maker/bench-1/env", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + agent.httpPort();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path, VIEWER_TOKEN);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return EventJson.MAPPER.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A logged-in browser: its cookie and its CSRF token. */
    private record Browser(String cookie, String csrf) {
    }

    private Browser logIn(String user, String password) throws Exception {
        HttpResponse<String> r = post("/api/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(r.body());
        assertThat(csrf.find()).isTrue();
        return new Browser(setCookie.substring(0, setCookie.indexOf(';')), csrf.group(1));
    }

    private HttpResponse<String> ack(Browser b, String alarmId, String body) throws Exception {
        return post("/api/alarms/" + java.net.URLEncoder.encode(alarmId, StandardCharsets.UTF_8) + "/ack", body,
                "Cookie", b.cookie(), "X-CSRF-Token", b.csrf());
    }

    private JsonNode maker() throws Exception {
        return json("/api/rooms/maker-1");
    }

    private void raiseAlarm() throws Exception {
        publish("{\"temperature\":36.5,\"humidity\":41}");
        until(ALARM + " raised", () -> {
            try {
                return maker().path("alarms").size() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void history_answers_buckets_per_range_and_refuses_bad_parameters_with_a_clear_400() throws Exception {
        publish("{\"temperature\":22.0,\"humidity\":40}");
        publish("{\"temperature\":24.0,\"humidity\":42}");
        until("two readings in the room", () -> agent.rooms().state().view("maker-1").orElseThrow().metrics().stream()
                .anyMatch(m -> m.metric().equals("temperature") && m.value() == 24.0));

        JsonNode hour = json("/api/rooms/maker-1/history?range=hour");
        assertThat(hour.path("room").asText()).isEqualTo("maker-1");
        assertThat(hour.path("range").asText()).isEqualTo("hour");
        assertThat(hour.path("bucketSeconds").asLong()).isEqualTo(60);
        JsonNode temperature = series(hour, "temperature");
        assertThat(temperature.path("sensor").asText()).isEqualTo("bench-1");
        assertThat(temperature.path("unit").asText()).isEqualTo("°C");
        long count = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (JsonNode b : temperature.path("buckets")) {
            count += b.path("count").asLong();
            min = Math.min(min, b.path("min").asDouble());
            max = Math.max(max, b.path("max").asDouble());
        }
        assertThat(count).as("the not yet aggregated minute from memory").isEqualTo(2);
        assertThat(min).isEqualTo(22.0);
        assertThat(max).isEqualTo(24.0);
        assertThat(json("/api/rooms/maker-1/history").path("range").asText()).as("hour by default").isEqualTo("hour");
        assertThat(json("/api/rooms/maker-1/history?range=day").path("bucketSeconds").asLong()).isEqualTo(900);
        JsonNode week = json("/api/rooms/maker-1/history?range=week&sensor=bench-1&metric=humidity");
        assertThat(week.path("bucketSeconds").asLong()).isEqualTo(3600);
        assertThat(week.path("series")).hasSize(1);
        assertThat(week.path("series").get(0).path("metric").asText()).isEqualTo("humidity");

        long clientErrors = agent.httpStats().status4xx();
        assertBadQuery("/api/rooms/maker-1/history?range=month", "range must be hour, day or week");
        assertBadQuery("/api/rooms/maker-1/history?range=", "range");
        assertBadQuery("/api/rooms/maker-1/history?range=hour&metric=weight", "metric must be one of");
        assertBadQuery("/api/rooms/maker-1/history?sensor=bad%20id%00", "sensor must be");
        assertBadQuery("/api/rooms/maker-1/history?sensor=never-heard", "has not been heard from in room maker-1");
        assertBadQuery("/api/rooms/maker-1/history?range=%3Cscript%3E" + "x".repeat(500), "range");
        HttpResponse<String> unknown = get("/api/rooms/gym/history?range=day", VIEWER_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no_such_room", "maker-1");
        assertThat(agent.httpStats().status4xx()).as("every refusal counted").isEqualTo(clientErrors + 7);

        HttpResponse<String> huge = get("/api/rooms/maker-1/history?range=hour&pad=" + "A".repeat(200_000), VIEWER_TOKEN);
        assertThat(huge.statusCode()).as("a huge query string").isBetween(400, 499);
        assertThat(get("/api/rooms/maker-1/history?range=hour&range=week&range=" + "%25".repeat(300), VIEWER_TOKEN).statusCode())
                .as("a repeated parameter: the first counts").isEqualTo(200);
        assertThat(get("/api/rooms/maker-1/history?range=" + "%25".repeat(3000), VIEWER_TOKEN).statusCode())
                .as("a request line past the server's limit").isEqualTo(414);
        assertThat(get("/api/rooms/maker-1/history?range=day", null).statusCode()).as("anonymous").isEqualTo(401);
        assertThat(json("/api/rooms/maker-1/history?range=day").path("series").size()).as("still answering").isEqualTo(2);
    }

    private void assertBadQuery(String path, String message) throws Exception {
        HttpResponse<String> r = get(path, VIEWER_TOKEN);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).as(path).contains("\"error\":\"bad_query\"", message);
    }

    private static JsonNode series(JsonNode history, String metric) {
        for (JsonNode s : history.path("series")) {
            if (s.path("metric").asText().equals(metric)) {
                return s;
            }
        }
        throw new AssertionError("no " + metric + " in " + history);
    }

    @Test
    void a_manager_acknowledges_an_active_alarm_once_with_a_note_and_the_stream_and_history_show_it() throws Exception {
        List<String> streamed = new CopyOnWriteArrayList<>();
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://[::1]:" + agent.httpPort() + "/api/stream?topics=alarm"))
                .header("Authorization", "Bearer " + VIEWER_TOKEN).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(streamed::add));
        until("stream open", () -> !streamed.isEmpty());
        raiseAlarm();
        Browser manager = logIn("manager-1", "manager-password");

        HttpResponse<String> first = ack(manager, ALARM, "{\"note\":\"检查通风\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode reply = EventJson.MAPPER.readTree(first.body());
        assertThat(reply.path("already").asBoolean()).isFalse();
        assertThat(reply.path("acknowledged").path("by").asText()).isEqualTo("manager-1");
        assertThat(reply.path("acknowledged").path("note").asText()).isEqualTo("检查通风");
        long seq = reply.path("seq").asLong();
        assertThat(seq).isPositive();

        JsonNode alarm = maker().path("alarms").get(0);
        assertThat(alarm.path("acknowledged").path("by").asText()).as("the room state shows it").isEqualTo("manager-1");
        assertThat(alarm.path("acknowledged").path("at").asText()).isEqualTo(reply.path("acknowledged").path("at").asText());

        HttpResponse<String> again = post("/api/alarms/" + ALARM + "/ack", "", "Authorization", "Bearer " + OPERATOR_TOKEN);
        assertThat(again.statusCode()).as("idempotent, raw ':' in the path too: " + again.body()).isEqualTo(200);
        assertThat(again.body()).contains("\"already\":true", "\"by\":\"manager-1\"").doesNotContain("\"seq\"");
        assertThat(agent.journal().query(new org.campusedge.agent.journal.EventQuery(java.util.Optional.empty(),
                java.util.Optional.of("alarm.acknowledged"), java.util.Optional.empty(), java.util.Optional.empty(), 10)))
                .singleElement().satisfies(e -> {
                    assertThat(e.stream().wireName()).as("travels to the city with raises and clears").isEqualTo("priority");
                    assertThat(e.seq()).isEqualTo(seq);
                    assertThat(e.room()).hasValue("maker-1");
                    assertThat(e.payloadJson()).contains("\"alarm\":\"" + ALARM + "\"", "\"rule\":\"maker-hot\"",
                            "\"by\":\"manager-1\"", "\"note\":\"检查通风\"", "\"raisedAt\":\"");
                });
        until("the acknowledgement on /api/stream, got " + streamed, () -> streamed.stream()
                .anyMatch(l -> l.startsWith("data:") && l.contains("\"type\":\"alarm.acknowledged\"") && l.contains("manager-1")));

        JsonNode history = json("/api/alarms?room=maker-1&limit=10");
        assertThat(history.path("alarms")).hasSize(1);
        JsonNode entry = history.path("alarms").get(0);
        assertThat(entry.path("alarm").asText()).isEqualTo(ALARM);
        assertThat(entry.path("severity").asText()).isEqualTo("critical");
        assertThat(entry.path("acknowledged").path("by").asText()).isEqualTo("manager-1");
        assertThat(entry.has("clearedAt")).isFalse();
        assertThat(json("/api/alarms?active=true").path("alarms")).hasSize(1);
        assertThat(json("/api/alarms?room=studio-1").path("alarms")).isEmpty();

        // The condition ends: acknowledging now is a conflict, and the history shows the clear.
        publish("{\"temperature\":30.0}");
        until("cleared", () -> agent.rooms().state().view("maker-1").orElseThrow().alarms().isEmpty());
        HttpResponse<String> cleared = ack(manager, ALARM, "");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(409);
        assertThat(cleared.body()).contains("alarm_cleared", "no longer active");
        JsonNode after = json("/api/alarms?room=maker-1").path("alarms").get(0);
        assertThat(after.path("clearedAt").asText()).isNotEmpty();
        assertThat(after.path("clearReason").asText()).isEqualTo("condition_ended");
        assertThat(after.path("acknowledged").path("by").asText()).isEqualTo("manager-1");
        assertThat(json("/api/alarms?active=true").path("alarms")).isEmpty();
    }

    @Test
    void acknowledging_needs_a_manager_the_csrf_token_this_origin_and_an_alarm_that_exists() throws Exception {
        raiseAlarm();
        String path = "/api/alarms/" + ALARM + "/ack";
        HttpResponse<String> anonymous = post(path, "{}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(get("/api/alarms", null).statusCode()).isEqualTo(401);

        Browser viewer = logIn("viewer-1", "viewer-password");
        HttpResponse<String> refused = ack(viewer, ALARM, "{}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"forbidden\"", "viewer", "manager");
        assertThat(post(path, "{}", "Authorization", "Bearer " + VIEWER_TOKEN).statusCode()).as("a viewer token").isEqualTo(403);
        assertThat(get("/api/alarms?room=maker-1", null).statusCode()).isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/alarms?room=maker-1"))
                .header("Cookie", viewer.cookie()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("a viewer reads the history").isEqualTo(200);

        Browser manager = logIn("manager-1", "manager-password");
        assertThat(post(path, "{}", "Cookie", manager.cookie()).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(post(path, "{}", "Cookie", manager.cookie(), "X-CSRF-Token", "x" + manager.csrf()).statusCode())
                .as("a wrong CSRF token").isEqualTo(403);
        HttpResponse<String> foreign = post(path, "{}", "Cookie", manager.cookie(), "X-CSRF-Token", manager.csrf(),
                "Origin", "http://evil.example");
        assertThat(foreign.statusCode()).as("a foreign Origin").isEqualTo(403);
        assertThat(foreign.body()).contains("\"error\":\"csrf\"");

        assertThat(ack(manager, ALARM, "{\"note\":\"" + "x".repeat(AlarmsApi.MAX_NOTE + 1) + "\"}").body())
                .contains("bad_note", "at most 500");
        assertThat(ack(manager, ALARM, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(ack(manager, ALARM, "{\"note\":\"bell\\u0007\\u001b[2J\"}").body()).contains("bad_note", "control characters");
        assertThat(ack(manager, ALARM, "{\"note\":42}").statusCode()).isEqualTo(400);
        assertThat(ack(manager, "no-such:maker-1:x", "{}").statusCode()).isEqualTo(404);
        assertThat(ack(manager, "no-such-room-alarm", "{}").body()).contains("no_such_alarm");
        assertThat(rawStatus("POST /api/alarms/%ZZ/ack HTTP/1.1", "Cookie: " + manager.cookie(), "X-CSRF-Token: " + manager.csrf()))
                .as("bad percent-encoding: the router's 404, no such resource").contains(" 404 ");
        assertThat(post("/api/alarms/%C3%28%00/ack", "{}", "Cookie", manager.cookie(), "X-CSRF-Token", manager.csrf()).body())
                .as("not UTF-8, a NUL").contains("bad_alarm");
        assertThat(post("/api/alarms/" + "a".repeat(300) + "/ack", "{}", "Cookie", manager.cookie(), "X-CSRF-Token",
                manager.csrf()).statusCode()).isEqualTo(400);
        assertThat(maker().path("alarms").get(0).has("acknowledged")).as("nothing acknowledged so far").isFalse();

        assertThat(get("/api/alarms?limit=0", VIEWER_TOKEN).body()).contains("bad_query", "limit must be within 1..500");
        assertThat(get("/api/alarms?limit=" + "9".repeat(40), VIEWER_TOKEN).body()).contains("limit must be a whole number");
        assertThat(get("/api/alarms?active=maybe", VIEWER_TOKEN).body()).contains("active must be true or false");
        assertThat(get("/api/alarms?since=yesterday", VIEWER_TOKEN).body()).contains("since must be an ISO-8601 instant");
        assertThat(get("/api/alarms?room=../../etc/passwd", VIEWER_TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/api/alarms?room=gym", VIEWER_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void an_acknowledged_alarm_is_still_acknowledged_after_a_restart_and_the_journal_alone_rebuilds_it_exactly() throws Exception {
        raiseAlarm();
        HttpResponse<String> ok = post("/api/alarms/" + ALARM + "/ack", "{\"note\":\"fan on\"}",
                "Authorization", "Bearer " + OPERATOR_TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String at = EventJson.MAPPER.readTree(ok.body()).path("acknowledged").path("at").asText();
        stopAgent();
        List<RoomView> atClose = agent.rooms().state().views();

        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            RoomsState rebuilt = new RoomsState(config.rooms(), config.readers(), config.occupancy().standbyWatts());
            RoomStateStore.rebuild(journal, rebuilt);
            assertThat(EventJson.write(rebuilt.views())).isEqualTo(EventJson.write(atClose));
        }
        startAgent();
        JsonNode alarm = maker().path("alarms").get(0);
        assertThat(alarm.path("id").asText()).isEqualTo(ALARM);
        assertThat(alarm.path("acknowledged").path("by").asText()).as("the operator token's name").isEqualTo("operator");
        assertThat(alarm.path("acknowledged").path("at").asText()).isEqualTo(at);
        assertThat(alarm.path("acknowledged").path("note").asText()).isEqualTo("fan on");
    }

    /** Sends a request java.net.http will not (a malformed escape in the path); returns the status line. */
    private String rawStatus(String requestLine, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", agent.httpPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(agent.httpPort())
                    .append("\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            request.append("\r\n{}");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "(closed)" : answer.substring(0, answer.indexOf("\r\n"));
        }
    }
}
