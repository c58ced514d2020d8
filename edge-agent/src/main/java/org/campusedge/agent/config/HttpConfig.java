package org.campusedge.agent.config;

import org.campusedge.sync.center.TokenHash;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's HTTP API and dashboard.
 *
 * @param bind          addresses to listen on; {@code localhost} means 127.0.0.1 and ::1
 * @param port          TCP port, 0 to pick a free one
 * @param operatorToken hash of the bearer token that operator actions (access mode) require;
 *                      empty: those actions are refused
 */
public record HttpConfig(List<String> bind, int port, Optional<TokenHash> operatorToken) {

    public HttpConfig {
        bind = List.copyOf(bind);
        Objects.requireNonNull(operatorToken, "operatorToken");
    }

    public HttpConfig(List<String> bind, int port) {
        this(bind, port, Optional.empty());
    }
}
