package org.campusedge.agent.auth;

import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.RequestGuard;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Checks every request to the agent before its route runs (a {@link RequestGuard} on the router):
 *
 * <ol>
 * <li>a state-changing request (anything but GET, HEAD, OPTIONS) whose {@code Origin} is not this
 *     server's, or whose {@code Sec-Fetch-Site} is not same-origin, is refused (403, CSRF);</li>
 * <li>the log-in page, the dashboard's static files, {@code POST /api/login} and, when
 *     {@code http.metrics: open}, {@code /metrics} pass;</li>
 * <li>everything else needs a principal: an {@code Authorization: Bearer} token (a wrong one is a
 *     401 at once), or a session cookie, or — only on an agent without any account or token — a
 *     request from this machine, which may read but change nothing. Without one, {@code /api/*},
 *     {@code /metrics} and other methods get a 401 JSON error and pages a redirect to {@code /login};</li>
 * <li>a state-changing request on a session must carry that session's CSRF token in
 *     {@code X-CSRF-Token} (403 otherwise);</li>
 * <li>the principal's role must include the one the route needs (403 otherwise).</li>
 * </ol>
 *
 * <p>An event stream opened on a session ends when the session does ({@link #lease}).
 *
 * <p>Thread-safe; runs on the HTTP server's workers.
 */
public final class AuthGate implements RequestGuard {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** A route that needs more than {@link Role#VIEWER}: its method, its whole path, the role. */
    private record Need(String method, Pattern path, Role role) {
        boolean covers(String m, String p) {
            return method.equals(m) && path.matcher(p).matches();
        }
    }

    /** The school-wide access mode and acknowledging an alarm ({@code /api/alarms/{id}/ack}) are a manager's job. */
    private static final List<Need> NEEDS = List.of(
            new Need("POST", Pattern.compile("/api/access/mode"), Role.MANAGER),
            new Need("POST", Pattern.compile("/api/alarms/[^/]+/ack"), Role.MANAGER));

    private final AuthConfig config;
    private final Sessions sessions;
    private final AuthCounters counters;
    private final String cookieName;
    private final boolean secureCookie;

    /** @param tls whether the server speaks HTTPS (the cookie is then {@code Secure} in any case) */
    public AuthGate(AuthConfig config, Sessions sessions, AuthCounters counters, boolean tls) {
        this.config = config;
        this.sessions = sessions;
        this.counters = counters;
        this.secureCookie = tls || config.secureCookie();
        // The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain (RFC 6265bis section 4.1.3.2).
        this.cookieName = secureCookie ? "__Host-campus-edge-session" : "campus-edge-session";
    }

    @Override
    public Optional<HttpReply> check(HttpRequestView req) {
        String method = req.method();
        String path = req.path();
        boolean changes = !SAFE_METHODS.contains(method);
        if (changes && crossSite(req)) {
            counters.csrfOrigin.increment();
            return Optional.of(HttpReply.error(403, "csrf", "cross-site requests may not change anything"));
        }
        if (isPublic(method, path)) {
            return Optional.empty();
        }
        if (req.header("authorization") != null) {
            Optional<Principal> token = token(req.header("authorization"));
            if (token.isEmpty()) {
                return unauthorized("the bearer token is not valid");
            }
            return allowed(method, path, token.get());
        }
        Optional<Sessions.Session> session = sessions.find(cookie(req));
        if (session.isPresent()) {
            if (changes && !session.get().csrfMatches(req.header(CSRF_HEADER))) {
                counters.csrfToken.increment();
                return Optional.of(HttpReply.error(403, "csrf", "the request lacks this session's " + CSRF_HEADER + " header"));
            }
            return allowed(method, path, new Principal(session.get().user(), session.get().role(), Principal.Via.SESSION));
        }
        if (!config.hasCredentials() && fromThisMachine(req)) {
            return allowed(method, path, new Principal("local", Role.VIEWER, Principal.Via.LOCAL));
        }
        if (changes || path.startsWith("/api/") || path.equals("/metrics")) {
            return unauthorized(config.hasCredentials() ? "log in, or send Authorization: Bearer <token>"
                    : "this agent has no accounts: add one with campus-edge users add and set http.users-file");
        }
        return Optional.of(new HttpReply(303, HttpReply.TEXT, new byte[0], Map.of())
                .withHeader("Location", "/login?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8))
                .withHeader("Cache-Control", "no-store"));
    }

    /** Who sent {@code req}, for routes that record it (the gate has already let it through). */
    public Optional<Principal> principal(HttpRequestView req) {
        if (req.header("authorization") != null) {
            return token(req.header("authorization"));
        }
        Optional<Sessions.Session> s = session(req);
        if (s.isPresent()) {
            return Optional.of(new Principal(s.get().user(), s.get().role(), Principal.Via.SESSION));
        }
        return !config.hasCredentials() && fromThisMachine(req)
                ? Optional.of(new Principal("local", Role.VIEWER, Principal.Via.LOCAL)) : Optional.empty();
    }

    /**
     * An event stream lasts as long as what let it open: a session's stream ends when the session
     * does (log-out, idle or absolute expiry); a token's or this machine's lasts while connected.
     */
    @Override
    public BooleanSupplier lease(HttpRequestView req) {
        if (req.header("authorization") != null) {
            return () -> true;
        }
        Optional<Sessions.Session> s = sessions.find(cookie(req));
        if (s.isEmpty()) {
            return () -> true;
        }
        String id = s.get().id();
        return () -> sessions.alive(id);
    }

    /** The live session the request's cookie names. */
    public Optional<Sessions.Session> session(HttpRequestView req) {
        return sessions.find(cookie(req));
    }

    /** The {@code Set-Cookie} value that starts {@code session} in the browser. */
    public String sessionCookie(Sessions.Session session) {
        return cookieName + "=" + session.id() + "; Path=/; Max-Age=" + sessions.absolute().toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes the session cookie. */
    public String clearedCookie() {
        return cookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : "");
    }

    private boolean isPublic(String method, String path) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return path.equals("/login") || path.startsWith("/assets/") || path.startsWith("/vendor/")
                    || path.equals("/metrics") && config.metrics() == AuthConfig.MetricsAccess.OPEN;
        }
        return method.equals("POST") && path.equals("/api/login");
    }

    private Optional<HttpReply> allowed(String method, String path, Principal who) {
        Role needed = NEEDS.stream().filter(n -> n.covers(method, path)).map(Need::role).findFirst().orElse(Role.VIEWER);
        if (!who.role().includes(needed)) {
            counters.forbidden.increment();
            return Optional.of(HttpReply.error(403, "forbidden", who.via() == Principal.Via.LOCAL
                    ? "this agent has no accounts; changes need a " + needed.wireName() + " account (campus-edge users add)"
                    : who.name() + " is a " + who.role().wireName() + "; this needs a " + needed.wireName()));
        }
        return Optional.empty();
    }

    private Optional<HttpReply> unauthorized(String message) {
        counters.unauthorized.increment();
        return Optional.of(HttpReply.error(401, "unauthorized", message)
                .withHeader("WWW-Authenticate", "Bearer realm=\"campus-edge\""));
    }

    private Optional<Principal> token(String authorization) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String presented = authorization.substring(7).trim();
        // Every token is compared, so the time taken does not tell which one nearly matched.
        Optional<Principal> found = Optional.empty();
        for (BearerToken t : config.tokens()) {
            if (t.hash().matches(presented) && found.isEmpty()) {
                found = Optional.of(new Principal(t.name(), t.role(), Principal.Via.TOKEN));
            }
        }
        return found;
    }

    private String cookie(HttpRequestView req) {
        String header = req.header("cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split("[;,]")) {
            String p = part.trim();
            if (p.startsWith(cookieName + "=")) {
                return p.substring(cookieName.length() + 1);
            }
        }
        return null;
    }

    /**
     * True when a browser says the request comes from another site: its {@code Origin} is not
     * {@code scheme://<Host header>} (RFC 6454 section 7) or its {@code Sec-Fetch-Site} is not
     * same-origin. Requests with neither header (curl, IT tools) are not cross-site.
     */
    static boolean crossSite(HttpRequestView req) {
        String site = req.header("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return true;
        }
        String origin = req.header("origin");
        if (origin == null) {
            return false;
        }
        String host = req.header("host");
        if (host == null || origin.equals("null")) {
            return true;
        }
        try {
            URI o = URI.create(origin.trim());
            if (o.getHost() == null || o.getScheme() == null) {
                return true;
            }
            int defaultPort = o.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            String authority = (o.getHost().contains(":") && !o.getHost().startsWith("[") ? "[" + o.getHost() + "]" : o.getHost())
                    + (o.getPort() == -1 || o.getPort() == defaultPort ? "" : ":" + o.getPort());
            String hostNoDefault = host.trim().toLowerCase(Locale.ROOT).replaceFirst(":" + defaultPort + "$", "");
            return !authority.toLowerCase(Locale.ROOT).equals(hostNoDefault);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * A request straight from this machine: a loopback peer, no proxy header (a reverse proxy on
     * the box would make every visitor look local), and a loopback {@code Host} (a web page that
     * re-pointed its own host name at 127.0.0.1, DNS rebinding, still sends its own name).
     */
    static boolean fromThisMachine(HttpRequestView req) {
        if (req.remote() == null || req.remote().getAddress() == null || !req.remote().getAddress().isLoopbackAddress()) {
            return false;
        }
        if (req.header("forwarded") != null || req.header("x-forwarded-for") != null) {
            return false;
        }
        String host = req.header("host");
        if (host == null) {
            return true;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        h = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
        return h.equals("localhost") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }
}
