package org.campusedge.agent.config;

import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.AuthConfig;
import org.campusedge.agent.auth.BearerToken;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpConfigLoaderTest {

    private static final String BASE = """
            device: {id: box-1, school: IT School}
            rooms: [{id: maker-1, type: maker-space}]
            """;

    @TempDir
    Path dir;

    private AgentConfig parse(String http) throws Exception {
        return AgentConfigLoader.parse(BASE + "http:\n" + http, "agent.yaml", dir);
    }

    @Test
    void reads_accounts_tokens_metrics_and_session_settings() throws Exception {
        UsersFile.put(dir.resolve("users"), new Account("alice", Role.MANAGER, PasswordHash.create("pw-0123456789".toCharArray(), 1_000)));
        Files.writeString(dir.resolve("prom.token"), "prometheus-token-0123456789\n");
        Files.writeString(dir.resolve("op.token"), "operator-token-0123456789\n");
        AuthConfig auth = parse("""
                  bind: ["*"]
                  users-file: users
                  operator-token-file: op.token
                  tokens: [{name: prometheus, role: viewer, token-file: prom.token}]
                  metrics: open
                  session-idle: 10m
                  session-max: 8h
                  secure-cookie: true
                """).http().auth();
        assertThat(auth.accounts()).extracting(Account::name).containsExactly("alice");
        assertThat(auth.tokens()).extracting(BearerToken::name, BearerToken::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("prometheus", Role.VIEWER), org.assertj.core.groups.Tuple.tuple("operator", Role.MANAGER));
        assertThat(auth.metrics()).isEqualTo(AuthConfig.MetricsAccess.OPEN);
        assertThat(auth.sessionIdle()).isEqualTo(Duration.ofMinutes(10));
        assertThat(auth.sessionMax()).isEqualTo(Duration.ofHours(8));
        assertThat(auth.secureCookie()).isTrue();
    }

    @Test
    void defaults_to_no_credentials_authenticated_metrics_and_documented_session_times() throws Exception {
        AuthConfig auth = parse("  port: 0\n").http().auth();
        assertThat(auth.hasCredentials()).isFalse();
        assertThat(auth.metrics()).isEqualTo(AuthConfig.MetricsAccess.AUTHENTICATED);
        assertThat(auth.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(auth.sessionMax()).isEqualTo(Duration.ofHours(12));
        assertThat(auth.secureCookie()).isFalse();
    }

    @Test
    void refuses_to_listen_beyond_localhost_without_credentials() {
        assertThatThrownBy(() -> parse("  bind: [\"*\"]\n")).hasMessageContaining("http.bind").hasMessageContaining("users add");
        assertThatThrownBy(() -> parse("  bind: [localhost, 192.168.1.20]\n")).hasMessageContaining("192.168.1.20");
    }

    @Test
    void names_the_key_of_every_bad_setting() throws Exception {
        Files.writeString(dir.resolve("t.token"), "token-0123456789abcdef\n");
        Files.writeString(dir.resolve("short.token"), "short\n");
        Files.writeString(dir.resolve("users"), "alice:root:pbkdf2-sha256$1000$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==\n");
        assertThatThrownBy(() -> parse("  users-file: users\n")).hasMessageContaining("http.users-file").hasMessageContaining("line 1");
        assertThatThrownBy(() -> parse("  users-file: nowhere\n")).hasMessageContaining("http.users-file").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> parse("  tokens: [{name: a, role: boss, token-file: t.token}]\n")).hasMessageContaining("role")
                .hasMessageContaining("viewer, manager, admin");
        assertThatThrownBy(() -> parse("  tokens: [{name: a, role: viewer, token-file: short.token}]\n")).hasMessageContaining("token-file")
                .hasMessageContaining("16 characters");
        assertThatThrownBy(() -> parse("  tokens: [{name: a, role: viewer, token-file: t.token}, {name: a, role: admin, token-file: t.token}]\n"))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> parse("  tokens: [{name: a, role: viewer, token-file: t.token, colour: red}]\n"))
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> parse("  metrics: public\n")).hasMessageContaining("http.metrics").hasMessageContaining("open, authenticated");
        assertThatThrownBy(() -> parse("  session-idle: 2h\n  session-max: 1h\n")).hasMessageContaining("http.session-max");
    }

    @Test
    void live_update_interval_defaults_to_a_quarter_second_and_is_bounded() throws Exception {
        assertThat(parse("  port: 0\n").http().liveUpdateEvery()).isEqualTo(Duration.ofMillis(250));
        assertThat(parse("  live-update-every: 40ms\n").http().liveUpdateEvery()).isEqualTo(Duration.ofMillis(40));
        assertThatThrownBy(() -> parse("  live-update-every: 5ms\n")).hasMessageContaining("http.live-update-every");
        assertThatThrownBy(() -> parse("  live-update-every: often\n")).hasMessageContaining("http.live-update-every");
    }
}
