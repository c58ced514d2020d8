package org.campusedge.agent.auth;

import org.campusedge.sync.http.HttpRequestView;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthGateTest {

    private static HttpRequestView request(String remote, String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new HttpRequestView("POST", "/api/access/mode", Map.of(), headers, new byte[0], new InetSocketAddress(remote, 40000));
    }

    @Test
    void origin_must_be_this_server_as_the_host_header_names_it() {
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box.school.example:8080", "origin", "http://box.school.example:8080"))).isFalse();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box.school.example", "origin", "https://box.school.example"))).isFalse();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "[::1]:8080", "origin", "http://[::1]:8080"))).isFalse();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080"))).as("no Origin: a tool").isFalse();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "origin", "http://box:8081"))).isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "origin", "http://evil.example"))).isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "origin", "null"))).isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "origin", "not a url"))).isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "origin", "http://box:8080"))).as("Origin without Host").isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "sec-fetch-site", "cross-site"))).isTrue();
        assertThat(AuthGate.crossSite(request("127.0.0.1", "host", "box:8080", "sec-fetch-site", "same-origin"))).isFalse();
    }

    @Test
    void this_machine_means_a_loopback_peer_with_a_loopback_host_and_no_proxy() {
        assertThat(AuthGate.fromThisMachine(request("127.0.0.1", "host", "localhost:8080"))).isTrue();
        assertThat(AuthGate.fromThisMachine(request("::1", "host", "[::1]:8080"))).isTrue();
        assertThat(AuthGate.fromThisMachine(request("127.0.0.1", "host", "127.0.0.1"))).isTrue();
        assertThat(AuthGate.fromThisMachine(request("192.0.2.7", "host", "localhost:8080"))).isFalse();
        assertThat(AuthGate.fromThisMachine(request("127.0.0.1", "host", "rebound.evil.example:8080"))).isFalse();
        assertThat(AuthGate.fromThisMachine(request("127.0.0.1", "host", "localhost", "x-forwarded-for", "198.51.100.4"))).isFalse();
        assertThat(AuthGate.fromThisMachine(request("127.0.0.1", "host", "localhost", "forwarded", "for=198.51.100.4"))).isFalse();
    }

    @Test
    void log_in_limits_count_ipv4_addresses_and_ipv6_networks() {
        assertThat(LoginRoutes.clientKey(new InetSocketAddress("192.0.2.7", 1))).isEqualTo("192.0.2.7");
        assertThat(LoginRoutes.clientKey(new InetSocketAddress("2001:db8:1:2:aaaa::1", 1)))
                .isEqualTo(LoginRoutes.clientKey(new InetSocketAddress("2001:db8:1:2:bbbb::9", 1)))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(LoginRoutes.clientKey(new InetSocketAddress("2001:db8:1:3::1", 1))).isEqualTo("2001:db8:1:3::/64");
        assertThat(LoginRoutes.clientKey(null)).isEqualTo("?");
    }
}
