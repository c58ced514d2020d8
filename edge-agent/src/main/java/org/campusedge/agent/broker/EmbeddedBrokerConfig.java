package org.campusedge.agent.broker;

import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link EmbeddedBroker} listens on and how much it accepts.
 *
 * @param bindHosts         addresses to listen on: IP literals, host names, {@code localhost}
 *                          (127.0.0.1 and ::1) or {@code *} for every interface; default 127.0.0.1 and ::1
 * @param port              TCP port, default {@value #DEFAULT_PORT} so it never clashes with a system
 *                          broker on 1883; 0 picks a free port (shared by every bind host)
 * @param maxPacketBytes    largest packet accepted, counted after the fixed header (the "remaining
 *                          length" of section 2.2.3); a larger one closes the connection
 * @param maxConnections    sockets open at once; more are closed as soon as they open
 * @param maxQueuedMessages QoS 1/2 messages kept per session while its client is offline or slow;
 *                          past that the oldest is dropped and counted
 * @param users             user name to password hash; empty means anonymous clients are accepted
 */
public record EmbeddedBrokerConfig(List<String> bindHosts, int port, int maxPacketBytes, int maxConnections,
                                   int maxQueuedMessages, Map<String, PasswordHash> users) {

    public static final List<String> DEFAULT_BIND_HOSTS = List.of("127.0.0.1", "::1");
    public static final int DEFAULT_PORT = 1884;
    public static final int DEFAULT_MAX_PACKET_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1_000;
    /** Section 2.2.3: the remaining length is at most 268,435,455 bytes (four length bytes). */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    public EmbeddedBrokerConfig {
        bindHosts = List.copyOf(bindHosts);
        if (bindHosts.isEmpty()) {
            throw new IllegalArgumentException("at least one bind host is required");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxPacketBytes < 64 || maxPacketBytes > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("maxPacketBytes must be in 64.." + MAX_REMAINING_LENGTH + ", got " + maxPacketBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be positive, got " + maxQueuedMessages);
        }
        users = Map.copyOf(users);
    }

    /** Localhost only (IPv4 and IPv6), port 1884, 256 KiB packets, 1000 connections, no users. */
    public static EmbeddedBrokerConfig defaults() {
        return new EmbeddedBrokerConfig(DEFAULT_BIND_HOSTS, DEFAULT_PORT, DEFAULT_MAX_PACKET_BYTES,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_QUEUED_MESSAGES, Map.of());
    }

    public EmbeddedBrokerConfig withBindHosts(List<String> hosts) {
        return new EmbeddedBrokerConfig(hosts, port, maxPacketBytes, maxConnections, maxQueuedMessages, users);
    }

    public EmbeddedBrokerConfig withPort(int newPort) {
        return new EmbeddedBrokerConfig(bindHosts, newPort, maxPacketBytes, maxConnections, maxQueuedMessages, users);
    }

    public EmbeddedBrokerConfig withMaxPacketBytes(int bytes) {
        return new EmbeddedBrokerConfig(bindHosts, port, bytes, maxConnections, maxQueuedMessages, users);
    }

    public EmbeddedBrokerConfig withMaxConnections(int n) {
        return new EmbeddedBrokerConfig(bindHosts, port, maxPacketBytes, n, maxQueuedMessages, users);
    }

    public EmbeddedBrokerConfig withMaxQueuedMessages(int n) {
        return new EmbeddedBrokerConfig(bindHosts, port, maxPacketBytes, maxConnections, n, users);
    }

    public EmbeddedBrokerConfig withUsers(Map<String, PasswordHash> newUsers) {
        return new EmbeddedBrokerConfig(bindHosts, port, maxPacketBytes, maxConnections, maxQueuedMessages, newUsers);
    }

    /**
     * Reads a broker section, e.g.
     *
     * <pre>{@code
     * bind: [127.0.0.1, "::1"]
     * port: 1884
     * max-packet-bytes: 262144
     * max-connections: 1000
     * max-queued-messages: 1000
     * users:
     *   - name: tasmota
     *     password-hash: "pbkdf2-sha256$600000$<salt>$<hash>"
     * }</pre>
     *
     * Every key is optional; errors name the key, e.g. {@code agent.yaml: broker.users[0].password-hash: ...}.
     */
    public static EmbeddedBrokerConfig read(ConfigNode node) throws ConfigException {
        List<String> bind = node.stringList("bind", DEFAULT_BIND_HOSTS);
        if (bind.isEmpty() || bind.stream().anyMatch(String::isBlank)) {
            throw node.error("bind", "must list at least one address, and none blank");
        }
        int port = node.integer("port", DEFAULT_PORT, 0, 65_535);
        int maxPacket = node.integer("max-packet-bytes", DEFAULT_MAX_PACKET_BYTES, 64, MAX_REMAINING_LENGTH);
        int maxConnections = node.integer("max-connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        int maxQueued = node.integer("max-queued-messages", DEFAULT_MAX_QUEUED_MESSAGES, 1, 1_000_000);
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        for (ConfigNode user : node.sections("users")) {
            String name = user.requiredString("name");
            if (users.containsKey(name)) {
                throw user.error("name", "user \"" + name + "\" is listed twice");
            }
            String hash = user.requiredString("password-hash");
            try {
                users.put(name, PasswordHash.parse(hash));
            } catch (IllegalArgumentException e) {
                throw user.error("password-hash", e.getMessage());
            }
        }
        return new EmbeddedBrokerConfig(bind, port, maxPacket, maxConnections, maxQueued, users);
    }
}
