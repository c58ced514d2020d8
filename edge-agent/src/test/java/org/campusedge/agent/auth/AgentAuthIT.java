package org.campusedge.agent.auth;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log-in, sessions, CSRF, roles, bearer tokens and the {@code /metrics} setting against a real
 * agent's HTTP server (java.net.http, cookies handled by hand so every attribute can be checked;
 * a raw socket where java.net.http will not send a header).
 */
class AgentAuthIT {

    private static final String VIEWER_TOKEN = "viewer-token-0f4c1e9a77b2";
    private static final String OPERATOR_TOKEN = "operator-token-8d2a6b5c3e1f";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Agent agent;
    private String base;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /** An agent with the accounts viewer-1 (viewer) and manager-1 (manager), two tokens and {@code extraHttp}. */
    private void start(String extraHttp) throws Exception {
        UsersFile.put(dir.resolve("users"), new Account("viewer-1", Role.VIEWER, PasswordHash.create("viewer-password".toCharArray(), 1_000)));
        UsersFile.put(dir.resolve("users"), new Account("manager-1", Role.MANAGER, PasswordHash.create("manager-password".toCharArray(), 1_000)));
        Files.writeString(dir.resolve("viewer.token"), VIEWER_TOKEN + "\n");
        Files.writeString(dir.resolve("operator.token"), OPERATOR_TOKEN + "\n");
        startWith("""
                  users-file: users
                  operator-token-file: operator.token
                  tokens: [{name: monitoring, role: viewer, token-file: viewer.token}]
                """ + extraHttp);
    }

    private void startWith(String http) throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-auth, school: IT School, time-zone: Asia/Shanghai}
                rooms: [{id: maker-1, type: maker-space, capacity: 20}]
                storage: {path: agent/journal.db, durability: normal}
                http:
                  bind: [localhost]
                  port: 0
                """ + http);
        agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults());
        base = "http://127.0.0.1:" + agent.httpPort();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> login(String user, String password) throws Exception {
        return send(post("/api/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"));
    }

    /** A logged-in browser, as far as the server can tell: its cookie and its CSRF token. */
    private record Browser(String cookie, String csrf) {
    }

    private Browser loggedIn(String user, String password) throws Exception {
        HttpResponse<String> r = login(user, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(r.body());
        assertThat(csrf.find()).isTrue();
        return new Browser(setCookie.substring(0, setCookie.indexOf(';')), csrf.group(1));
    }

    private HttpResponse<String> changeMode(Browser b, String csrf, String origin, String mode) throws Exception {
        HttpRequest.Builder r = post("/api/access/mode", "{\"mode\":\"" + mode + "\",\"by\":\"someone else\",\"reason\":\"drill\"}")
                .header("Cookie", b.cookie());
        if (csrf != null) {
            r.header("X-CSRF-Token", csrf);
        }
        if (origin != null) {
            r.header("Origin", origin);
        }
        return send(r);
    }

    private String metrics() throws Exception {
        return send(get("/metrics").header("Authorization", "Bearer " + VIEWER_TOKEN)).body();
    }

    @Test
    void an_anonymous_visitor_gets_401_json_from_the_api_and_is_sent_to_the_log_in_page() throws Exception {
        start("");
        for (String path : List.of("/api/rooms", "/api/health", "/api/events", "/api/stream", "/api/access/mode", "/api/no-such")) {
            HttpResponse<String> r = send(get(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("content-type")).as(path).hasValue("application/json");
            assertThat(r.body()).as(path).contains("\"error\":\"unauthorized\"").doesNotContain("maker-1");
            assertThat(r.headers().firstValue("www-authenticate")).as(path).hasValue("Bearer realm=\"campus-edge\"");
        }
        HttpResponse<String> page = send(get("/rooms/maker-1"));
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/login?next=%2Frooms%2Fmaker-1");
        HttpResponse<String> loginPage = send(get("/login"));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).contains("id=\"login-form\"", "/assets/login.js");
        assertThat(loginPage.headers().firstValue("content-security-policy")).isPresent();
        assertThat(send(get("/assets/login.js")).statusCode()).as("the page's own files are public").isEqualTo(200);
        assertThat(metrics()).contains("campus_edge_http_auth_refused_total{status=\"401\"} 6");
    }

    @Test
    void a_wrong_password_or_unknown_name_is_401_with_the_same_answer_and_counted() throws Exception {
        start("");
        HttpResponse<String> wrong = login("viewer-1", "not-the-password");
        HttpResponse<String> unknown = login("nobody", "viewer-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body()).contains("bad_credentials");
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=viewer-1&password=viewer-password"))).statusCode())
                .as("only JSON").isEqualTo(415);
        assertThat(send(post("/api/login", "{\"username\":1}")).statusCode()).isEqualTo(400);
        assertThat(metrics()).contains("campus_edge_http_logins_total{outcome=\"failed\"} 2");
    }

    @Test
    void repeated_failures_for_one_account_are_answered_429_even_with_the_right_password() throws Exception {
        start("");
        for (int i = 0; i < HttpAuth.FAILURES_PER_USER; i++) {
            assertThat(login("manager-1", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = login("manager-1", "manager-password");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(s ->
                assertThat(Long.parseLong(s)).isPositive().isLessThanOrEqualTo(HttpAuth.WINDOW.toSeconds() + 1));
        assertThat(limited.body()).contains("too_many_attempts");
        assertThat(login("viewer-1", "viewer-password").statusCode()).as("another account from the same address").isEqualTo(200);
        assertThat(metrics()).contains("campus_edge_http_logins_total{outcome=\"rate_limited\"} 1");
    }

    @Test
    void repeated_failures_from_one_address_are_answered_429_for_every_account() throws Exception {
        start("");
        for (int i = 0; i < HttpAuth.FAILURES_PER_ADDRESS; i++) {
            assertThat(login("guess-" + i, "password").statusCode()).isEqualTo(401);
        }
        assertThat(login("viewer-1", "viewer-password").statusCode()).isEqualTo(429);
    }

    @Test
    void the_session_cookie_is_http_only_same_site_strict_random_and_expires() throws Exception {
        start("");
        HttpResponse<String> r = login("viewer-1", "viewer-password");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"user\":\"viewer-1\"", "\"role\":\"viewer\"", "\"csrfToken\":\"");
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).matches("campus-edge-session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict")
                .as("plain HTTP: not Secure").doesNotContain("Secure");
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        String other = login("viewer-1", "viewer-password").headers().firstValue("set-cookie").orElseThrow();
        assertThat(other.substring(0, other.indexOf(';'))).as("a new id per log-in").isNotEqualTo(cookie.substring(0, cookie.indexOf(';')));
        HttpResponse<String> rooms = send(get("/api/rooms").header("Cookie", "theme=dark; " + cookie.substring(0, cookie.indexOf(';'))));
        assertThat(rooms.statusCode()).isEqualTo(200);
        assertThat(rooms.body()).contains("maker-1");
        assertThat(send(get("/api/rooms").header("Cookie", "campus-edge-session=" + "A".repeat(43))).statusCode())
                .as("a made-up id").isEqualTo(401);
    }

    @Test
    void behind_a_tls_proxy_the_cookie_is_secure_with_the_host_prefix() throws Exception {
        start("  secure-cookie: true\n  session-idle: 10m\n  session-max: 1h\n");
        assertThat(login("viewer-1", "viewer-password").headers().firstValue("set-cookie").orElseThrow())
                .matches("__Host-campus-edge-session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure");
    }

    @Test
    void a_state_change_needs_the_session_csrf_token_and_this_origin() throws Exception {
        start("");
        Browser manager = loggedIn("manager-1", "manager-password");
        assertThat(changeMode(manager, null, null, "lockdown").statusCode()).as("no token").isEqualTo(403);
        assertThat(changeMode(manager, "x" + manager.csrf(), null, "lockdown").statusCode()).as("wrong token").isEqualTo(403);
        HttpResponse<String> foreign = changeMode(manager, manager.csrf(), "http://evil.example", "lockdown");
        assertThat(foreign.statusCode()).as("foreign Origin").isEqualTo(403);
        assertThat(foreign.body()).contains("\"error\":\"csrf\"");
        assertThat(changeMode(manager, manager.csrf(), "null", "lockdown").statusCode()).as("opaque Origin").isEqualTo(403);
        assertThat(send(post("/api/access/mode", "{\"mode\":\"lockdown\"}").header("Cookie", manager.cookie())
                .header("X-CSRF-Token", manager.csrf()).header("Sec-Fetch-Site", "same-site")).statusCode())
                .as("another port of the same host").isEqualTo(403);
        assertThat(send(post("/api/login", "{\"username\":\"viewer-1\",\"password\":\"viewer-password\"}")
                .header("Origin", "https://evil.example")).statusCode()).as("log-in CSRF").isEqualTo(403);
        assertThat(agent.decider().mode().wireName()).isEqualTo("normal");

        HttpResponse<String> ok = changeMode(manager, manager.csrf(), "http://127.0.0.1:" + agent.httpPort(), "lockdown");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(agent.decider().mode().wireName()).isEqualTo("lockdown");
        assertThat(metrics()).contains("campus_edge_http_csrf_rejected_total{check=\"token\"} 2",
                "campus_edge_http_csrf_rejected_total{check=\"origin\"} 4");
    }

    @Test
    void a_viewer_may_not_change_the_access_mode_and_a_manager_may_under_their_own_name() throws Exception {
        start("");
        Browser viewer = loggedIn("viewer-1", "viewer-password");
        HttpResponse<String> refused = changeMode(viewer, viewer.csrf(), null, "emergency-unlock");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"forbidden\"", "viewer", "manager");
        assertThat(send(get("/api/access/mode").header("Cookie", viewer.cookie())).statusCode()).as("but read it").isEqualTo(200);

        Browser manager = loggedIn("manager-1", "manager-password");
        assertThat(changeMode(manager, manager.csrf(), null, "emergency-unlock").statusCode()).isEqualTo(200);
        assertThat(agent.decider().mode().wireName()).isEqualTo("emergency_unlock");
        assertThat(send(get("/api/events?type=access.mode").header("Cookie", manager.cookie())).body())
                .as("journaled as the account, whatever the body says").contains("\"by\":\"manager-1\"").doesNotContain("someone else");
        HttpResponse<String> me = send(get("/api/session").header("Cookie", manager.cookie()));
        assertThat(me.body()).contains("\"user\":\"manager-1\"", "\"role\":\"manager\"", "\"via\":\"session\"", manager.csrf());
        assertThat(metrics()).contains("campus_edge_http_auth_refused_total{status=\"403\"} 1");
    }

    @Test
    void bearer_tokens_authenticate_it_tools_with_their_role() throws Exception {
        start("");
        assertThat(send(get("/api/rooms").header("Authorization", "Bearer " + VIEWER_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send(get("/api/rooms").header("Authorization", "Bearer not-a-token-at-all")).statusCode()).isEqualTo(401);
        assertThat(send(get("/api/rooms").header("Authorization", "Basic dXNlcjpwdw==")).statusCode()).isEqualTo(401);
        String body = "{\"mode\":\"lockdown\",\"by\":\"it-desk\",\"reason\":\"drill\"}";
        assertThat(send(post("/api/access/mode", body).header("Authorization", "Bearer " + VIEWER_TOKEN)).statusCode())
                .as("a viewer token").isEqualTo(403);
        HttpResponse<String> operator = send(post("/api/access/mode", body).header("Authorization", "Bearer " + OPERATOR_TOKEN));
        assertThat(operator.statusCode()).as("the operator token is a manager; no CSRF token needed").isEqualTo(200);
        assertThat(send(get("/api/events?type=access.mode").header("Authorization", "Bearer " + OPERATOR_TOKEN)).body())
                .contains("\"by\":\"it-desk\"");
    }

    @Test
    void logging_out_ends_the_session_and_clears_the_cookie() throws Exception {
        start("");
        Browser b = loggedIn("viewer-1", "viewer-password");
        assertThat(send(post("/api/logout", "{}").header("Cookie", b.cookie())).statusCode()).as("no CSRF token").isEqualTo(403);
        HttpResponse<String> out = send(post("/api/logout", "{}").header("Cookie", b.cookie()).header("X-CSRF-Token", b.csrf()));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("campus-edge-session=;")
                .contains("Max-Age=0"));
        assertThat(send(get("/api/rooms").header("Cookie", b.cookie())).statusCode()).isEqualTo(401);
        assertThat(send(get("/").header("Cookie", b.cookie())).statusCode()).isEqualTo(303);
    }

    /** Reads a live-update stream on a thread of its own; {@link #ended} completes when the server ends it. */
    private static final class OpenStream implements AutoCloseable {
        final java.util.concurrent.CompletableFuture<String> ended = new java.util.concurrent.CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        private final java.io.InputStream body;

        OpenStream(HttpResponse<java.io.InputStream> r) {
            assertThat(r.statusCode()).isEqualTo(200);
            body = r.body();
            Thread t = new Thread(() -> {
                try {
                    byte[] buf = new byte[4096];
                    for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                        synchronized (text) {
                            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                    ended.complete("end");
                } catch (IOException e) {
                    ended.complete("failed: " + e);
                }
            }, "stream-reader");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private OpenStream stream(String header, String value) throws Exception {
        return new OpenStream(HTTP.send(get("/api/stream").header(header, value).build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    @Test
    void logging_out_ends_that_sessions_live_streams_at_once_and_no_others() throws Exception {
        start("");
        Browser a = loggedIn("viewer-1", "viewer-password");
        Browser b = loggedIn("manager-1", "manager-password");
        try (OpenStream ofA = stream("Cookie", a.cookie());
             OpenStream ofB = stream("Cookie", b.cookie());
             OpenStream ofToken = stream("Authorization", "Bearer " + VIEWER_TOKEN)) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!metrics().contains("campus_edge_http_streams_open 3") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(metrics()).contains("campus_edge_http_streams_open 3");

            assertThat(send(post("/api/logout", "{}").header("Cookie", a.cookie()).header("X-CSRF-Token", a.csrf()))
                    .statusCode()).isEqualTo(200);

            assertThat(ofA.ended.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the stream ends cleanly").isEqualTo("end");
            assertThat(send(get("/api/stream").header("Cookie", a.cookie())).statusCode())
                    .as("reconnecting with the ended session").isEqualTo(401);
            assertThat(changeMode(b, b.csrf(), null, "lockdown").statusCode()).isEqualTo(200);
            deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!(ofB.text().contains("event: mode") && ofToken.text().contains("event: mode")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ofB.text()).as("another session's stream goes on").contains("event: mode");
            assertThat(ofToken.text()).as("a token's stream goes on").contains("event: mode");
            assertThat(ofB.ended).isNotDone();
            assertThat(metrics()).contains("campus_edge_http_streams_open 2",
                    "campus_edge_http_streams_ended_total{reason=\"session_ended\"} 1");
        }
    }

    @Test
    void metrics_need_authentication_by_default_and_can_be_opened() throws Exception {
        start("");
        assertThat(send(get("/metrics")).statusCode()).isEqualTo(401);
        Browser b = loggedIn("viewer-1", "viewer-password");
        assertThat(send(get("/metrics").header("Cookie", b.cookie())).statusCode()).isEqualTo(200);
        assertThat(metrics()).contains("campus_edge_http_logins_total{outcome=\"ok\"} 1", "campus_edge_http_sessions 1");
        agent.close();

        start("  metrics: open\n");
        HttpResponse<String> open = send(get("/metrics"));
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("campus_edge_up_seconds");
        assertThat(send(get("/api/health")).statusCode()).as("the API still needs credentials").isEqualTo(401);
    }

    @Test
    void without_accounts_the_agent_answers_this_machine_read_only() throws Exception {
        startWith("");
        assertThat(send(get("/api/rooms")).statusCode()).isEqualTo(200);
        assertThat(send(get("/api/session")).body()).contains("\"via\":\"local\"", "\"role\":\"viewer\"");
        HttpResponse<String> change = send(post("/api/access/mode", "{\"mode\":\"lockdown\",\"by\":\"x\",\"reason\":\"y\"}"));
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(change.body()).contains("users add");
        assertThat(login("anyone", "password").statusCode()).isEqualTo(401);
        assertThat(send(get("/api/rooms").header("X-Forwarded-For", "203.0.113.9")).statusCode()).as("through a proxy").isEqualTo(401);
        assertThat(rawStatus("GET /api/rooms HTTP/1.1", "Host: campus.evil.example:" + agent.httpPort()))
                .as("DNS rebinding: a foreign Host").contains(" 401 ");
        assertThat(rawStatus("GET /api/rooms HTTP/1.1", "Host: localhost:" + agent.httpPort())).contains(" 200 ");
    }

    /** Sends a request with headers java.net.http refuses to set (Host); returns the status line. */
    private String rawStatus(String requestLine, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", agent.httpPort())) {
            s.setSoTimeout(5_000);
            List<String> lines = new ArrayList<>(List.of(requestLine));
            lines.addAll(List.of(headers));
            lines.add("Connection: close");
            OutputStream out = s.getOutputStream();
            out.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "(closed)" : answer.substring(0, answer.indexOf("\r\n"));
        }
    }
}
