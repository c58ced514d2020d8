package org.campusedge.agent.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code POST /api/login} ({@code {"username","password"}} as JSON: a session cookie and the
 * session's CSRF token, or 401; 429 with {@code Retry-After} while the {@link LoginLimiter}
 * blocks the address or the name), {@code POST /api/logout} (ends the session, clears the
 * cookie) and {@code GET /api/session} (who is logged in, the role and the CSRF token, for a page
 * that was reloaded). Password checks are slow on purpose, so at most {@link #CONCURRENT_CHECKS}
 * run at once and a flood of log-ins cannot take every HTTP worker.
 *
 * <p>Thread-safe; runs on the HTTP server's workers.
 */
public final class LoginRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);
    static final int CONCURRENT_CHECKS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Account> accounts;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final AuthGate gate;
    private final AuthCounters counters;
    private final Runnable sessionEnded;
    private final Semaphore checks = new Semaphore(CONCURRENT_CHECKS);
    /** Checked against when the name is unknown, so that answer takes as long as a wrong password. */
    private volatile PasswordHash decoy;

    /** @param sessionEnded told after a log-out or a new log-in ended a session (its event streams end) */
    public LoginRoutes(AuthConfig config, Sessions sessions, LoginLimiter limiter, AuthGate gate, AuthCounters counters,
                       Runnable sessionEnded) {
        this.accounts = config.accounts().stream().collect(Collectors.toUnmodifiableMap(Account::name, Function.identity()));
        this.sessions = sessions;
        this.limiter = limiter;
        this.gate = gate;
        this.counters = counters;
        this.sessionEnded = sessionEnded;
    }

    public Router register(Router router) {
        return router.post("/api/login", (req, p) -> login(req))
                .post("/api/logout", (req, p) -> logout(req))
                .get("/api/session", (req, p) -> whoAmI(req));
    }

    private HttpReply login(HttpRequestView req) throws InterruptedException {
        String type = req.header("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return HttpReply.error(415, "unsupported_media_type", "send the log-in as application/json");
        }
        JsonNode body;
        try {
            body = JSON.readTree(req.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.path("username").isTextual() || !body.path("password").isTextual()) {
            return HttpReply.error(400, "bad_json", "the body must be a JSON object with username and password");
        }
        String name = body.path("username").asText();
        String address = clientKey(req.remote());
        Optional<Duration> blocked = limiter.blocked(address, name);
        if (blocked.isPresent()) {
            counters.loginsLimited.increment();
            return tooMany(blocked.get().toSeconds() + 1);
        }
        if (!checks.tryAcquire(3, TimeUnit.SECONDS)) {
            counters.loginsLimited.increment();
            return tooMany(1);
        }
        boolean ok;
        Account account = accounts.get(name);
        try {
            char[] password = body.path("password").asText().toCharArray();
            if (account != null) {
                ok = account.password().matches(password);
            } else {
                decoy().matches(password);
                ok = false;
            }
            java.util.Arrays.fill(password, '\0');
        } finally {
            checks.release();
        }
        if (!ok) {
            limiter.failed(address, name);
            counters.loginsFailed.increment();
            LOG.info("dashboard log-in failed for \"{}\" from {}", forLog(name), address);
            counters.unauthorized.increment();
            return HttpReply.error(401, "bad_credentials", "wrong user name or password");
        }
        limiter.succeeded(name);
        Sessions.Session session;
        try {
            session = sessions.create(account.name(), account.role());
        } catch (IllegalStateException full) {
            return HttpReply.error(503, "too_many_sessions", full.getMessage()).withHeader("Retry-After", "60");
        }
        gate.session(req).ifPresent(old -> {
            sessions.remove(old.id());
            sessionEnded.run();
        });
        counters.loginsOk.increment();
        LOG.info("dashboard log-in: {} ({}) from {}", account.name(), account.role().wireName(), address);
        return HttpReply.json(200, who(session.user(), session.role(), "session", session.csrfToken()))
                .withHeader("Set-Cookie", gate.sessionCookie(session))
                .withHeader("Cache-Control", "no-store");
    }

    private HttpReply logout(HttpRequestView req) {
        gate.session(req).ifPresent(s -> {
            sessions.remove(s.id());
            sessionEnded.run();
            LOG.info("dashboard log-out: {}", s.user());
        });
        return HttpReply.json(200, "{\"loggedOut\":true}")
                .withHeader("Set-Cookie", gate.clearedCookie())
                .withHeader("Cache-Control", "no-store");
    }

    private HttpReply whoAmI(HttpRequestView req) {
        Optional<Sessions.Session> s = gate.session(req);
        if (s.isPresent()) {
            return HttpReply.json(200, who(s.get().user(), s.get().role(), "session", s.get().csrfToken()))
                    .withHeader("Cache-Control", "no-store");
        }
        Principal p = gate.principal(req).orElseThrow(() -> new IllegalStateException("the gate let an anonymous request in"));
        return HttpReply.json(200, who(p.name(), p.role(), p.via().name().toLowerCase(java.util.Locale.ROOT), null))
                .withHeader("Cache-Control", "no-store");
    }

    private static String who(String user, Role role, String via, String csrf) {
        ObjectNode o = JSON.createObjectNode().put("user", user).put("role", role.wireName()).put("via", via);
        if (csrf != null) {
            o.put("csrfToken", csrf);
        }
        return o.toString();
    }

    private static HttpReply tooMany(long seconds) {
        return HttpReply.error(429, "too_many_attempts", "too many failed log-ins; try again in " + seconds + " s")
                .withHeader("Retry-After", String.valueOf(seconds));
    }

    private PasswordHash decoy() {
        PasswordHash d = decoy;
        if (d == null) {
            char[] random = Sessions.randomId().toCharArray();
            d = PasswordHash.create(random);
            decoy = d;
        }
        return d;
    }

    /**
     * Whom the per-address limit counts: an IPv4 address, or the /64 network of an IPv6 address
     * (one host usually holds a whole /64, so counting single addresses would let it rotate freely).
     */
    static String clientKey(java.net.InetSocketAddress remote) {
        if (remote == null || remote.getAddress() == null) {
            return "?";
        }
        byte[] a = remote.getAddress().getAddress();
        if (a.length != 16) {
            return remote.getAddress().getHostAddress();
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** A user name as typed, for a log line: no control characters, at most 64 characters. */
    private static String forLog(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
