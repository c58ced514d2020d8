package org.campusedge.agent.dashboard;

import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;

import java.util.Locale;
import java.util.Map;

/**
 * The facility dashboard's pages and files on the agent's HTTP server: the room grid at
 * {@code /}, a room's page at {@code /rooms/{id}} (the same HTML shell; the page's script reads
 * the id and fetches {@code /api/rooms/{id}}), the events page at {@code /events} and the health
 * page at {@code /health} (the same shell again), the log-in page at {@code /login}, and one literal route per file of
 * {@link DashboardAssets}. A path that is not one of those routes is the router's 404, so
 * there is no path-to-file mapping to attack.
 *
 * <p>Answers carry a strong {@code ETag} and {@code Cache-Control}, honour {@code If-None-Match}
 * with a 304 (RFC 9110 section 13.1.2), are gzip-coded when the client accepts it, and are
 * marked {@code nosniff}. The HTML also carries a Content-Security-Policy that allows scripts,
 * styles and connections to this origin only (no inline script anywhere in the dashboard).
 * Stateless; runs on the HTTP server's workers.
 */
public final class DashboardRoutes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final DashboardAssets assets;

    private DashboardRoutes(DashboardAssets assets) {
        this.assets = assets;
    }

    /**
     * The dashboard with every asset read from this jar.
     *
     * @throws IllegalStateException if an asset is missing from the classpath (a broken build)
     */
    public static DashboardRoutes fromClasspath() {
        return new DashboardRoutes(DashboardAssets.load(DashboardRoutes.class.getClassLoader()));
    }

    /** Adds the dashboard's routes; register before any catch-all pattern of the same shape. */
    public Router register(Router router) {
        router.get("/", (req, p) -> page(req, assets.page()));
        router.get("/rooms/{id}", (req, p) -> page(req, assets.page()));
        router.get("/events", (req, p) -> page(req, assets.page()));
        router.get("/health", (req, p) -> page(req, assets.page()));
        router.get("/login", (req, p) -> page(req, assets.loginPage()));
        for (Map.Entry<String, StaticAsset> e : assets.byPath().entrySet()) {
            StaticAsset asset = e.getValue();
            router.get(e.getKey(), (req, p) -> answer(req, asset));
        }
        return router;
    }

    private HttpReply page(HttpRequestView req, StaticAsset html) {
        return answer(req, html)
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("X-Frame-Options", "DENY");
    }

    static HttpReply answer(HttpRequestView req, StaticAsset asset) {
        boolean gzip = asset.gzip().isPresent() && acceptsGzip(req.header("accept-encoding"));
        // Each coding is its own representation, so it gets its own strong validator (RFC 9110 section 8.8.3).
        String etag = gzip ? asset.etag().substring(0, asset.etag().length() - 1) + "-gz\"" : asset.etag();
        HttpReply reply;
        if (matches(req.header("if-none-match"), etag)) {
            reply = new HttpReply(304, asset.contentType(), new byte[0], Map.of());
        } else if (gzip) {
            reply = HttpReply.bytes(200, asset.contentType(), asset.gzip().get()).withHeader("Content-Encoding", "gzip");
        } else {
            reply = HttpReply.bytes(200, asset.contentType(), asset.body());
        }
        return reply.withHeader("ETag", etag)
                .withHeader("Cache-Control", asset.cacheControl())
                .withHeader("Vary", "Accept-Encoding")
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    /** True if an {@code Accept-Encoding} value accepts gzip with a non-zero weight (RFC 9110 section 12.5.3). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean viaStar = false;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean allowed = true;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    allowed = !param.substring(2).trim().matches("0(\\.0{0,3})?");
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return allowed;
            }
            if (coding.equals("*")) {
                viaStar = allowed;
            }
        }
        return viaStar;
    }

    /** {@code If-None-Match} with weak comparison, as that header requires (RFC 9110 section 13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
