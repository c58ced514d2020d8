package org.campusedge.agent.config;

import org.campusedge.agent.auth.AuthConfig;

import java.util.List;
import java.util.Objects;

/**
 * The agent's HTTP API and dashboard.
 *
 * @param bind addresses to listen on; {@code localhost} means 127.0.0.1 and ::1
 * @param port TCP port, 0 to pick a free one
 * @param auth accounts, tokens, sessions and what needs them
 */
public record HttpConfig(List<String> bind, int port, AuthConfig auth) {

    public HttpConfig {
        bind = List.copyOf(bind);
        Objects.requireNonNull(auth, "auth");
    }

    public HttpConfig(List<String> bind, int port) {
        this(bind, port, AuthConfig.none());
    }
}
