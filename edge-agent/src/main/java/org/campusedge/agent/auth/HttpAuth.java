package org.campusedge.agent.auth;

import org.campusedge.agent.http.PrometheusText;
import org.campusedge.sync.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The agent's authentication, wired from its {@link AuthConfig}: sessions, the log-in limiter
 * (per address {@link #FAILURES_PER_ADDRESS} and per name {@link #FAILURES_PER_USER} failures in
 * {@link #WINDOW}), the {@link AuthGate} in front of the router and the log-in routes. Holds no
 * thread; sessions live as long as this object.
 */
public final class HttpAuth {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAuth.class);
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int FAILURES_PER_ADDRESS = 20;
    public static final int FAILURES_PER_USER = 5;

    private final AuthConfig config;
    private final Sessions sessions;
    private final AuthCounters counters = new AuthCounters();
    private final AuthGate gate;
    private final LoginRoutes login;

    public HttpAuth(AuthConfig config, Clock clock, boolean tls) {
        this(config, clock, tls, () -> { });
    }

    /**
     * @param sessionEnded told when a log-out or a new log-in ends a session, e.g. a hub's
     *                     {@code recheckLeases}, so that session's event streams end at once
     *                     (streams of sessions that expire end at their next heartbeat)
     */
    public HttpAuth(AuthConfig config, Clock clock, boolean tls, Runnable sessionEnded) {
        this.config = config;
        this.sessions = new Sessions(clock, config.sessionIdle(), config.sessionMax());
        this.gate = new AuthGate(config, sessions, counters, tls);
        this.login = new LoginRoutes(config, sessions, new LoginLimiter(clock, WINDOW, FAILURES_PER_ADDRESS, FAILURES_PER_USER),
                gate, counters, sessionEnded);
    }

    /** Adds the log-in routes and puts the gate in front of every route of {@code router}. */
    public Router register(Router router) {
        if (!config.hasCredentials()) {
            LOG.warn("http: no accounts and no tokens configured (http.users-file, http.tokens): the dashboard and API "
                    + "answer read-only requests from this machine only; add an account with campus-edge users add");
        } else {
            LOG.info("http: {} account(s), {} token(s); /metrics {}", config.accounts().size(), config.tokens().size(),
                    config.metrics() == AuthConfig.MetricsAccess.OPEN ? "open" : "needs authentication");
        }
        return login.register(router).guard(gate);
    }

    public AuthGate gate() {
        return gate;
    }

    /** The authentication counters in Prometheus text. */
    public String metrics() {
        PrometheusText p = new PrometheusText();
        counters.metrics(p, sessions::size);
        return p.toString();
    }
}
