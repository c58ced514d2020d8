package org.campusedge.agent.dashboard;

import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's static files over real HTTP (the agent's Netty server on a free loopback
 * port, java.net.http and a raw socket for what java.net.http refuses to send): every asset with
 * its content type and validators, conditional and gzip answers, and hostile paths and queries.
 */
class StaticAssetsTest {

    private static final DashboardAssets ASSETS = DashboardAssets.load(StaticAssetsTest.class.getClassLoader());
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new HttpServer("static-test", List.of("127.0.0.1"), 0, 64 * 1024,
                DashboardRoutes.fromClasspath().register(new Router()));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends {@code requestLine} as it is, byte for byte, and returns the status line. */
    private static String raw(String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "(connection closed)" : answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    @Test
    void serves_every_asset_with_its_content_type_validators_and_nosniff() throws Exception {
        assertThat(ASSETS.byPath()).containsKeys("/assets/app.js", "/assets/dashboard.css", "/assets/icons.svg",
                "/vendor/uplot/uPlot.iife.min.js", "/vendor/uplot/uPlot.min.css");
        for (Map.Entry<String, StaticAsset> e : ASSETS.byPath().entrySet()) {
            HttpResponse<byte[]> r = get(e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).as(e.getKey()).hasValue(e.getValue().contentType());
            assertThat(r.headers().firstValue("etag")).as(e.getKey()).hasValue(e.getValue().etag());
            assertThat(r.headers().firstValue("cache-control")).as(e.getKey()).hasValue("no-cache");
            assertThat(r.headers().firstValue("x-content-type-options")).as(e.getKey()).hasValue("nosniff");
            assertThat(r.body()).as(e.getKey()).isEqualTo(e.getValue().body());
        }
        assertThat(get("/assets/app.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/assets/dashboard.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/assets/icons.svg").headers().firstValue("content-type")).hasValue("image/svg+xml");
    }

    @Test
    void the_page_preloads_every_module_the_dashboard_imports_so_none_waits_for_its_importer() {
        String page = new String(ASSETS.page().body(), StandardCharsets.UTF_8);
        java.util.Set<String> imported = new java.util.TreeSet<>();
        java.util.regex.Pattern importLine = java.util.regex.Pattern.compile("^import .* from '\\./([a-z]+\\.js)';$",
                java.util.regex.Pattern.MULTILINE);
        for (Map.Entry<String, StaticAsset> e : ASSETS.byPath().entrySet()) {
            if (e.getKey().startsWith("/assets/") && e.getKey().endsWith(".js") && !e.getKey().equals("/assets/login.js")) {
                java.util.regex.Matcher m = importLine.matcher(new String(e.getValue().body(), StandardCharsets.UTF_8));
                while (m.find()) {
                    imported.add(m.group(1));
                }
            }
        }
        assertThat(imported).contains("format.js", "grid.js", "messages.js");
        for (String module : imported) {
            assertThat(page).as("index.html preloads " + module).contains("<link rel=\"modulepreload\" href=\"/assets/" + module + "\">");
        }
    }

    @Test
    void the_grid_and_every_room_page_are_the_html_shell_with_a_strict_content_security_policy() throws Exception {
        for (String path : List.of("/", "/rooms/maker-1", "/rooms/%E5%88%9B%E5%AE%A2", "/rooms/no-such-room")) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).as(path).hasValue("text/html; charset=utf-8");
            assertThat(r.headers().firstValue("content-security-policy")).as(path).hasValue(DashboardRoutes.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("x-frame-options")).as(path).hasValue("DENY");
            assertThat(r.body()).as(path).isEqualTo(ASSETS.page().body());
        }
        String html = new String(ASSETS.page().body(), StandardCharsets.UTF_8);
        assertThat(html).contains("<html lang=\"zh-CN\">").contains("<main id=\"main\"")
                .doesNotContain("<script>").doesNotContain("style=").doesNotContain(" on");
    }

    @Test
    void answers_304_when_the_client_has_the_current_version_and_200_when_it_has_another() throws Exception {
        String etag = ASSETS.byPath().get("/assets/app.js").etag();
        HttpResponse<byte[]> same = get("/assets/app.js", "If-None-Match", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("etag")).hasValue(etag);
        assertThat(get("/assets/app.js", "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
        assertThat(get("/assets/app.js", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(get("/assets/app.js", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
        assertThat(get("/assets/app.js", "If-None-Match", ASSETS.byPath().get("/assets/room.js").etag()).statusCode()).isEqualTo(200);
    }

    @Test
    void sends_gzip_only_to_clients_that_accept_it_with_its_own_validator() throws Exception {
        StaticAsset uplot = ASSETS.byPath().get("/vendor/uplot/uPlot.iife.min.js");
        HttpResponse<byte[]> zipped = get("/vendor/uplot/uPlot.iife.min.js", "Accept-Encoding", "br;q=1, gzip;q=0.8");
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("vary")).hasValue("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(uplot.body().length / 2);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(uplot.body());
        }
        String zippedTag = zipped.headers().firstValue("etag").orElseThrow();
        assertThat(zippedTag).isNotEqualTo(uplot.etag());
        assertThat(get("/vendor/uplot/uPlot.iife.min.js", "Accept-Encoding", "gzip", "If-None-Match", zippedTag).statusCode())
                .isEqualTo(304);

        for (String refuses : List.of("gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0.000")) {
            HttpResponse<byte[]> plain = get("/vendor/uplot/uPlot.iife.min.js", "Accept-Encoding", refuses);
            assertThat(plain.headers().firstValue("content-encoding")).as(refuses).isEmpty();
            assertThat(plain.body()).as(refuses).isEqualTo(uplot.body());
        }
        assertThat(DashboardRoutes.acceptsGzip("*")).isTrue();
        assertThat(DashboardRoutes.acceptsGzip("gzip;q=0, *")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/nope", "/favicon.ico", "/assets/", "/assets", "/assets/nope.js", "/assets/APP.JS", "/assets/app.js/",
            "/assets//app.js", "/assets/./app.js", "/index.html", "/dashboard/index.html", "/dashboard/app.js",
            "/assets/index.html", "/vendor/uplot/", "/vendor/uplot/uPlot.d.ts", "/vendor/uplot/README.md",
            "/vendor/uplot/../../assets/app.js", "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
            "/webjars/uplot/1.6.30/dist/uPlot.min.css", "/org/campusedge/agent/version.properties", "/simplelogger.properties",
            "/rooms", "/rooms/", "/rooms/maker-1/extra", "/rooms/%zz", "/rooms/a%4"})
    void anything_outside_the_asset_table_is_404(String path) throws Exception {
        assertThat(raw("GET " + path + " HTTP/1.1")).as(path).startsWith("HTTP/1.1 404");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/../../../../etc/passwd", "/assets/../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
            "/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/assets/..%2f..%2fdashboard%2findex.html", "/assets/..%5c..%5capp.js",
            "/assets/..\\..\\app.js", "/assets\\app.js", "/%2fetc%2fpasswd", "//etc/passwd", "/assets//etc/passwd",
            "/assets/app.js%00", "/assets/app.js%00.css", "/assets/%00", "/assets/%c0%ae%c0%ae/app.js",
            "/assets/%252e%252e/app.js", "/assets/.%2e/app.js", "/file:/etc/passwd", "/C:/Windows/win.ini",
            "/assets/dashboard.css%20", "/assets/app.js;.css", "/assets/app.js%3F"})
    void traversal_attempts_never_reach_a_file(String path) throws Exception {
        String status = raw("GET " + path + " HTTP/1.1");
        assertThat(status).as(path).matches("HTTP/1\\.1 (400|404) .*");
    }

    @Test
    void absolute_form_targets_and_raw_control_bytes_are_refused_too() throws Exception {
        assertThat(raw("GET http://127.0.0.1/../../etc/passwd HTTP/1.1")).matches("HTTP/1\\.1 (400|404) .*");
        assertThat(raw("GET http://127.0.0.1/assets/%2e%2e/index.html HTTP/1.1")).matches("HTTP/1\\.1 (400|404) .*");
        assertThat(raw("GET /assets/app.js\u0000.css HTTP/1.1")).matches("HTTP/1\\.1 (400|404) .*|\\(connection closed\\)");
        assertThat(raw("GET C:\\Windows\\win.ini HTTP/1.1")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET * HTTP/1.1")).startsWith("HTTP/1.1 400");
    }

    @Test
    void huge_and_malformed_query_strings_get_a_clear_4xx_and_the_server_carries_on() throws Exception {
        assertThat(get("/?" + "a=b&".repeat(500)).statusCode()).isEqualTo(200);
        assertThat(raw("GET /?" + "x".repeat(20_000) + " HTTP/1.1")).startsWith("HTTP/1.1 414");
        assertThat(raw("GET /assets/app.js?" + "q=%".repeat(10) + " HTTP/1.1")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /?%zz=1 HTTP/1.1")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /?a=%e4%b8 HTTP/1.1")).matches("HTTP/1\\.1 (200|400) .*");
        assertThat(raw("GET /rooms/maker-1?lang=%ff%fe HTTP/1.1")).matches("HTTP/1\\.1 (200|400) .*");
        assertThat(get("/assets/app.js?v=1&v=2&=&&&").statusCode()).isEqualTo(200);
        assertThat(get("/assets/app.js").statusCode()).isEqualTo(200);
    }

    @Test
    void only_get_is_allowed() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/assets/app.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
        assertThat(raw("DELETE / HTTP/1.1")).startsWith("HTTP/1.1 405");
    }
}
