package org.campusedge.agent.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who may use the agent's HTTP API and dashboard, from the {@code http:} section.
 *
 * @param accounts     dashboard accounts from {@code http.users-file}
 * @param tokens       bearer tokens from {@code http.tokens} and {@code http.operator-token-file}
 * @param metrics      whether {@code /metrics} needs authentication
 * @param sessionIdle  a session ends after this long without a request
 * @param sessionMax   and at the latest this long after its log-in
 * @param secureCookie mark the session cookie {@code Secure} even on plain HTTP (behind a TLS proxy)
 */
public record AuthConfig(List<Account> accounts, List<BearerToken> tokens, MetricsAccess metrics,
                         Duration sessionIdle, Duration sessionMax, boolean secureCookie) {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MAX = Duration.ofHours(12);

    /** Who may read {@code /metrics}. */
    public enum MetricsAccess {
        /** Anyone who can reach the port (a Prometheus without credentials). */
        OPEN,
        /** A session or a bearer token, like {@code /api/*}. */
        AUTHENTICATED
    }

    public AuthConfig {
        accounts = List.copyOf(accounts);
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(sessionMax, "sessionMax");
    }

    /** No accounts and no tokens: the agent answers read-only requests from this machine only. */
    public static AuthConfig none() {
        return new AuthConfig(List.of(), List.of(), MetricsAccess.AUTHENTICATED, DEFAULT_IDLE, DEFAULT_MAX, false);
    }

    /** Whether anyone can authenticate at all; without, only local read-only use is possible. */
    public boolean hasCredentials() {
        return !accounts.isEmpty() || !tokens.isEmpty();
    }
}
