package org.campusedge.sync.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One address an {@link HttpServer} listens on, resolved from a configured bind host.
 *
 * @param host    the configured name, for messages
 * @param address the address, or empty for the wildcard (every interface, both families)
 */
record BindTarget(String host, Optional<InetAddress> address) {

    InetSocketAddress socketAddress(int port) {
        return address.map(a -> new InetSocketAddress(a, port)).orElseGet(() -> new InetSocketAddress(port));
    }

    String describe(int port) {
        String h = address.map(InetAddress::getHostAddress).orElse("*");
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * Resolves configured hosts. {@code localhost} is 127.0.0.1 and ::1 (never a DNS lookup, so a
     * resolver that only returns one of them cannot hide the other). {@code *}, {@code 0.0.0.0}
     * and {@code ::} all mean the wildcard, which on a dual-stack host accepts IPv4 and IPv6 on
     * one socket; a wildcard makes any other entry redundant (and binding it too would collide).
     */
    static List<BindTarget> resolve(String serverName, List<String> hosts, int port) throws HttpBindException {
        if (hosts.isEmpty()) {
            throw new HttpBindException(serverName, "(no address)", "no bind host configured", null);
        }
        Set<BindTarget> out = new LinkedHashSet<>();
        for (String raw : hosts) {
            String host = raw.trim().toLowerCase(Locale.ROOT);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            switch (host) {
                case "*", "0.0.0.0", "::", "" -> {
                    return List.of(new BindTarget(raw, Optional.empty()));
                }
                case "localhost" -> {
                    out.add(literal(raw, new byte[] {127, 0, 0, 1}));
                    out.add(literal(raw, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
                }
                default -> {
                    try {
                        for (InetAddress a : InetAddress.getAllByName(host)) {
                            out.add(new BindTarget(raw, Optional.of(a)));
                        }
                    } catch (UnknownHostException e) {
                        throw new HttpBindException(serverName, raw + ":" + port, "unknown host", e);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static BindTarget literal(String host, byte[] address) {
        try {
            return new BindTarget(host, Optional.of(InetAddress.getByAddress(address)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address of length 4 or 16 is always valid", e);
        }
    }
}
