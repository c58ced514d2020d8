package org.campusedge.sync.center;

import org.campusedge.sync.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code downlink:} section of the data center's configuration. */
class DownlinkConfigTest {

    @TempDir
    Path dir;

    private DataCenterConfig load(String yaml) throws Exception {
        Path file = dir.resolve("dc.yaml");
        Files.writeString(file, yaml);
        return DataCenterConfig.load(file);
    }

    @Test
    void defaults_put_the_store_beside_the_registry_and_switch_http_management_off() throws Exception {
        DataCenterConfig c = load("registry: {path: reg/center-devices.db}\n");
        assertThat(c.downlink().path()).isEqualTo(dir.resolve("reg/center-downlink.db"));
        assertThat(c.downlink().adminToken()).isEmpty();
        assertThat(c.downlink().maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.downlink().keepRemoved()).isEqualTo(Duration.ofDays(90));
        assertThat(c.downlink().maxParkedPolls()).isEqualTo(10_000);
    }

    @Test
    void reads_every_key_relative_to_the_file() throws Exception {
        Files.writeString(dir.resolve("admin.token"), "0123456789abcdef0123\n");
        DataCenterConfig c = load("downlink: {path: dl.db, admin-token-file: admin.token, max-wait: 10s, keep-removed: 7d, max-parked-polls: 250}\n");
        assertThat(c.downlink().path()).isEqualTo(dir.resolve("dl.db"));
        assertThat(c.downlink().adminToken().orElseThrow().matches("0123456789abcdef0123")).isTrue();
        assertThat(c.downlink().maxWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.downlink().keepRemoved()).isEqualTo(Duration.ofDays(7));
        assertThat(c.downlink().maxParkedPolls()).isEqualTo(250);
    }

    @Test
    void errors_name_the_key() throws Exception {
        Files.writeString(dir.resolve("short.token"), "short\n");
        assertThatThrownBy(() -> load("downlink: {admin-token-file: short.token}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("downlink.admin-token-file").hasMessageContaining("at least 16");
        assertThatThrownBy(() -> load("downlink: {admin-token-file: missing.token}\n"))
                .hasMessageContaining("downlink.admin-token-file").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> load("downlink: {max-wait: 1h}\n")).hasMessageContaining("downlink.max-wait");
        assertThatThrownBy(() -> load("downlink: {keep-removed: 1s}\n")).hasMessageContaining("downlink.keep-removed");
        assertThatThrownBy(() -> load("downlink: {wait: 1s}\n")).hasMessageContaining("wait");
        assertThatThrownBy(() -> load("downlink: {max-parked-polls: -1}\n")).hasMessageContaining("downlink.max-parked-polls");
        assertThatThrownBy(() -> load("downlink: {max-parked-polls: lots}\n")).hasMessageContaining("downlink.max-parked-polls");
    }

    @Test
    void the_shipped_example_documents_the_downlink() throws Exception {
        DataCenterConfig c = DataCenterConfig.load(Path.of("..", "deploy-scripts", "config", "datacenter.example.yaml"));
        assertThat(c.downlink().path()).isEqualTo(Path.of("/var/lib/campus-edge-datacenter/datacenter-downlink.db"));
        assertThat(c.downlink().maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.downlink().maxParkedPolls()).isEqualTo(10_000);
    }
}
