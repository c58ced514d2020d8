package org.campusedge.agent.broker;

import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBrokerConfigTest {

    private static EmbeddedBrokerConfig read(String yaml) throws ConfigException {
        ConfigNode root = ConfigNode.parse(yaml, "agent.yaml");
        EmbeddedBrokerConfig config = EmbeddedBrokerConfig.read(root.section("broker"));
        root.rejectUnknownKeys();
        return config;
    }

    @Test
    void empty_section_gives_the_defaults() throws ConfigException {
        assertThat(read("broker: {}")).isEqualTo(EmbeddedBrokerConfig.defaults());
        assertThat(EmbeddedBrokerConfig.defaults().bindHosts()).containsExactly("127.0.0.1", "::1");
        assertThat(EmbeddedBrokerConfig.defaults().port()).isEqualTo(1884);
        assertThat(EmbeddedBrokerConfig.defaults().maxPacketBytes()).isEqualTo(256 * 1024);
    }

    @Test
    void reads_every_key() throws ConfigException {
        String hash = PasswordHash.create("pw".toCharArray(), 1_000).toString();
        EmbeddedBrokerConfig c = read("""
                broker:
                  bind: ["0.0.0.0"]
                  port: 0
                  max-packet-bytes: 4096
                  max-connections: 50
                  max-queued-messages: 10
                  users:
                    - name: tasmota
                      password-hash: "%s"
                """.formatted(hash));
        assertThat(c.bindHosts()).isEqualTo(List.of("0.0.0.0"));
        assertThat(c.port()).isZero();
        assertThat(c.maxPacketBytes()).isEqualTo(4096);
        assertThat(c.maxConnections()).isEqualTo(50);
        assertThat(c.maxQueuedMessages()).isEqualTo(10);
        assertThat(c.users()).containsOnlyKeys("tasmota");
        assertThat(c.users().get("tasmota").matches("pw".toCharArray())).isTrue();
    }

    @Test
    void errors_name_the_key() {
        assertThatThrownBy(() -> read("broker:\n  port: 70000\n"))
                .hasMessageContaining("agent.yaml: broker.port: must be a whole number in 0..65535");
        assertThatThrownBy(() -> read("broker:\n  max-packet-bytes: big\n"))
                .hasMessageContaining("broker.max-packet-bytes");
        assertThatThrownBy(() -> read("broker:\n  users:\n    - name: a\n      password-hash: hunter2\n"))
                .hasMessageContaining("broker.users[0].password-hash: must be pbkdf2-sha256$")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> read("broker:\n  users:\n    - password-hash: x\n"))
                .hasMessageContaining("broker.users[0].name: is required");
        assertThatThrownBy(() -> read("broker:\n  prot: 1\n"))
                .hasMessageContaining("broker.prot: unknown key (did you mean \"port\"?)");
        assertThatThrownBy(() -> read("broker:\n  bind: []\n"))
                .hasMessageContaining("broker.bind");
    }

    @Test
    void a_user_listed_twice_is_an_error() {
        String hash = PasswordHash.create("pw".toCharArray(), 1_000).toString();
        assertThatThrownBy(() -> read("""
                broker:
                  users:
                    - {name: a, password-hash: "%1$s"}
                    - {name: a, password-hash: "%1$s"}
                """.formatted(hash)))
                .hasMessageContaining("broker.users[1].name: user \"a\" is listed twice");
    }
}
