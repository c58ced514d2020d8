package org.campusedge.sync.center;

import org.campusedge.sync.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataCenterConfigTest {

    private static final String TOKEN = "0123456789abcdef0123";

    private static DataCenterConfig parse(String yaml) throws ConfigException {
        return DataCenterConfig.parse(yaml, "datacenter.yaml");
    }

    @Test
    void applies_defaults_for_every_omitted_key() throws Exception {
        DataCenterConfig config = parse("devices: []\n");

        assertThat(config.http().bind()).containsExactly("localhost");
        assertThat(config.http().port()).isEqualTo(8090);
        assertThat(config.http().maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.storage().path()).isEqualTo(Path.of("datacenter.db").toAbsolutePath());
        assertThat(config.devices()).isEmpty();
        assertThat(config.http().tls()).isEmpty();
        assertThat(config.http().rateLimit()).isEqualTo(new DataCenterConfig.RateLimit(20, 100));
        assertThat(config.registry().path()).isEqualTo(Path.of("datacenter-devices.db").toAbsolutePath());
    }

    @Test
    void reads_tls_rate_limit_and_registry_relative_to_the_file(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.campusedge.sync.http.TestCertificates ca = org.campusedge.sync.http.TestCertificates.ca(dir);
        ca.ecServer("server");
        Path file = dir.resolve("dc.yaml");
        java.nio.file.Files.writeString(file, """
                http:
                  tls: {certificate: server.pem, key: server.key}
                  rate-limit: {requests-per-second: 0.5, burst: 3}
                registry: {path: reg/devices.db}
                """);

        DataCenterConfig config = DataCenterConfig.load(file);

        assertThat(config.http().tls()).contains(new DataCenterConfig.Tls(dir.resolve("server.pem"), dir.resolve("server.key")));
        assertThat(config.http().rateLimit()).isEqualTo(new DataCenterConfig.RateLimit(0.5, 3));
        assertThat(config.registry().path()).isEqualTo(dir.resolve("reg/devices.db"));
    }

    @Test
    void tls_errors_name_the_key_and_the_file(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.campusedge.sync.http.TestCertificates ca = org.campusedge.sync.http.TestCertificates.ca(dir);
        ca.rsaServer("one");
        ca.rsaServer("two");
        Path file = dir.resolve("dc.yaml");

        java.nio.file.Files.writeString(file, "http: {tls: {certificate: missing.pem, key: one.key}}\n");
        assertThatThrownBy(() -> DataCenterConfig.load(file))
                .hasMessageContaining("http.tls.certificate").hasMessageContaining("missing.pem: cannot read the certificate file: no such file");
        java.nio.file.Files.writeString(file, "http: {tls: {certificate: one.pem, key: two.key}}\n");
        assertThatThrownBy(() -> DataCenterConfig.load(file))
                .hasMessageContaining("http.tls.key").hasMessageContaining("is not the private key of the certificate");
        java.nio.file.Files.writeString(file, "http: {tls: {certificate: one.pem}}\n");
        assertThatThrownBy(() -> DataCenterConfig.load(file)).hasMessageContaining("http.tls.key");
        java.nio.file.Files.writeString(file, "http: {rate-limit: {requests-per-second: 0}}\n");
        assertThatThrownBy(() -> DataCenterConfig.load(file)).hasMessageContaining("http.rate-limit.requests-per-second");
        java.nio.file.Files.writeString(file, "http: {rate-limit: {brust: 3}}\n");
        assertThatThrownBy(() -> DataCenterConfig.load(file)).hasMessageContaining("did you mean \"burst\"");
    }

    @Test
    void reads_every_key() throws Exception {
        DataCenterConfig config = parse("""
                http:
                  bind: ["*", "::1"]
                  port: 9000
                  max-body: 512KiB
                storage:
                  path: /var/lib/campusedge/center.db
                devices:
                  - id: school-042-box-1
                    school: Riverside Primary
                    token: %s
                """.formatted(TOKEN));

        assertThat(config.http()).isEqualTo(new DataCenterConfig.Http(List.of("*", "::1"), 9000, 512 * 1024));
        assertThat(config.storage().path()).isEqualTo(Path.of("/var/lib/campusedge/center.db"));
        assertThat(config.devices()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo("school-042-box-1");
            assertThat(d.school()).isEqualTo("Riverside Primary");
            assertThat(d.token().matches(TOKEN)).isTrue();
            assertThat(d.token().matches(TOKEN + "x")).isFalse();
            assertThat(d.toString()).doesNotContain(TOKEN);
        });
    }

    @Test
    void max_body_accepts_plain_bytes_and_mib() throws Exception {
        assertThat(parse("http: {max-body: 2097152}").http().maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(parse("http: {max-body: 3MiB}").http().maxBodyBytes()).isEqualTo(3 * 1024 * 1024);
    }

    @Test
    void errors_name_the_key_path_and_the_reason() {
        assertThatThrownBy(() -> parse("http: {port: 70000}"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("datacenter.yaml: http.port: must be a whole number");
        assertThatThrownBy(() -> parse("http: {max-body: lots}"))
                .hasMessageContaining("http.max-body: must be a size");
        assertThatThrownBy(() -> parse("devices: [{id: box-1}]"))
                .hasMessageContaining("devices[0].token: is required");
        assertThatThrownBy(() -> parse("devices: [{id: box-1, token: short}]"))
                .hasMessageContaining("devices[0].token: must be at least 16 characters");
        assertThatThrownBy(() -> parse("devices: [{id: 'bad id', token: " + TOKEN + "}]"))
                .hasMessageContaining("devices[0].id");
        assertThatThrownBy(() -> parse("storage: {pth: x.db}"))
                .hasMessageContaining("storage.pth: unknown key (did you mean \"path\"?)");
    }

    @Test
    void rejects_duplicate_ids_and_shared_tokens() {
        assertThatThrownBy(() -> parse("""
                devices:
                  - {id: box-1, token: %s}
                  - {id: box-1, token: %sX}
                """.formatted(TOKEN, TOKEN)))
                .hasMessageContaining("devices[1].id: \"box-1\" is already used by devices[0]");
        assertThatThrownBy(() -> parse("""
                devices:
                  - {id: box-1, token: %s}
                  - {id: box-2, token: %s}
                """.formatted(TOKEN, TOKEN)))
                .hasMessageContaining("devices[1].token: is the same as the token of device box-1");
    }

    @Test
    void the_shipped_example_file_is_valid() throws Exception {
        Path example = Path.of("..", "deploy-scripts", "config", "datacenter.example.yaml");

        DataCenterConfig config = DataCenterConfig.load(example);

        assertThat(config.http().port()).isEqualTo(8090);
        assertThat(config.http().maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.storage().path()).isEqualTo(Path.of("/var/lib/campus-edge-datacenter/datacenter.db"));
        assertThat(config.devices()).extracting(DataCenterConfig.DeviceEntry::id).containsExactly("school-017-box-1");
        assertThat(config.http().rateLimit()).isEqualTo(new DataCenterConfig.RateLimit(20, 100));
        assertThat(config.registry().path()).isEqualTo(Path.of("/var/lib/campus-edge-datacenter/datacenter-devices.db"));
    }

    @Test
    void relative_storage_paths_resolve_next_to_the_file(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("dc.yaml");
        java.nio.file.Files.writeString(file, "storage: {path: data/dc.db}\ndevices: []\n");

        assertThat(DataCenterConfig.load(file).storage().path()).isEqualTo(dir.resolve("data/dc.db"));
    }

    @Test
    void load_names_a_missing_file() {
        assertThatThrownBy(() -> DataCenterConfig.load(Path.of("/nonexistent/datacenter.yaml")))
                .hasMessageContaining("/nonexistent/datacenter.yaml").hasMessageContaining("file not found");
    }
}
