package org.campusedge.agent.config;

import org.campusedge.agent.auth.AuthConfig;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The agent's HTTP API and dashboard.
 *
 * @param bind addresses to listen on; {@code localhost} means 127.0.0.1 and ::1
 * @param port TCP port, 0 to pick a free one
 * @param auth accounts, tokens, sessions and what needs them
 * @param liveUpdateEvery how often the live stream sends each changed room at most (its changes
 *                        in between coalesce into one update)
 */
public record HttpConfig(List<String> bind, int port, AuthConfig auth, Duration liveUpdateEvery) {

    /** A changed room goes out at most four times a second: more than a person can read off a card. */
    public static final Duration DEFAULT_LIVE_UPDATE_EVERY = Duration.ofMillis(250);

    public HttpConfig {
        bind = List.copyOf(bind);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(liveUpdateEvery, "liveUpdateEvery");
        if (liveUpdateEvery.isNegative() || liveUpdateEvery.isZero()) {
            throw new IllegalArgumentException("liveUpdateEvery must be positive, got " + liveUpdateEvery);
        }
    }

    public HttpConfig(List<String> bind, int port, AuthConfig auth) {
        this(bind, port, auth, DEFAULT_LIVE_UPDATE_EVERY);
    }

    public HttpConfig(List<String> bind, int port) {
        this(bind, port, AuthConfig.none());
    }
}
