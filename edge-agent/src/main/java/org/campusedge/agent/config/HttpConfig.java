package org.campusedge.agent.config;

import java.util.List;

/**
 * The agent's HTTP API and dashboard.
 *
 * @param bind addresses to listen on; {@code localhost} means 127.0.0.1 and ::1
 * @param port TCP port, 0 to pick a free one
 */
public record HttpConfig(List<String> bind, int port) {
}
