package org.campusedge.agent.broker;

import org.campusedge.agent.auth.PasswordHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerAuthenticatorTest {

    private final BrokerAuthenticator auth = new BrokerAuthenticator("test-broker",
            Map.of("tasmota", PasswordHash.create("right".toCharArray(), 1_000)));

    @AfterEach
    void close() throws InterruptedException {
        auth.close();
    }

    private boolean check(String user, String password) throws Exception {
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        auth.check(user, password == null ? null : password.getBytes(StandardCharsets.UTF_8), verdict::complete);
        return verdict.get(10, TimeUnit.SECONDS);
    }

    @Test
    void accepts_the_right_password_before_and_after_it_is_cached_and_nothing_else() throws Exception {
        assertThat(check("tasmota", "wrong")).isFalse();
        assertThat(check("tasmota", "right")).isTrue();
        assertThat(check("tasmota", "right")).isTrue();
        assertThat(check("tasmota", "wrong")).isFalse();
        assertThat(check("tasmota", "")).isFalse();
        assertThat(check("tasmota", null)).isFalse();
        assertThat(check("nobody", "right")).isFalse();
        assertThat(auth.required()).isTrue();
    }

    @Test
    void reads_the_password_bytes_as_utf8() throws Exception {
        BrokerAuthenticator unicode = new BrokerAuthenticator("test-broker",
                Map.of("u", PasswordHash.create("päss€".toCharArray(), 1_000)));
        try {
            CompletableFuture<Boolean> verdict = new CompletableFuture<>();
            unicode.check("u", "päss€".getBytes(StandardCharsets.UTF_8), verdict::complete);
            assertThat(verdict.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            unicode.close();
        }
    }
}
