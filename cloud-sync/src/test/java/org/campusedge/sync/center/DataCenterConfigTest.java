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
    void storage_type_defaults_to_sqlite_and_reads_postgresql(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("pg.password"), "s3cret\n");
        java.nio.file.Files.writeString(dir.resolve("dc.yaml"), """
                storage:
                  type: postgresql
                  url: jdbc:postgresql://db.example:5432/campusedge?sslmode=require
                  user: campusedge
                  password-file: pg.password
                  connections: 4
                devices: []
                """);

        DataCenterConfig.Storage pg = DataCenterConfig.load(dir.resolve("dc.yaml")).storage();

        assertThat(parse("devices: []").storage().type()).isEqualTo(DataCenterConfig.Storage.Type.SQLITE);
        assertThat(parse("storage: {type: sqlite, path: x.db}").storage().path()).isEqualTo(Path.of("x.db").toAbsolutePath());
        assertThat(pg.type()).isEqualTo(DataCenterConfig.Storage.Type.POSTGRESQL);
        assertThat(pg.path()).isNull();
        assertThat(pg.postgres()).isEqualTo(new DataCenterConfig.Postgres("jdbc:postgresql://db.example:5432/campusedge?sslmode=require",
                "campusedge", dir.resolve("pg.password"), 4));
        assertThat(pg.describe()).isEqualTo("PostgreSQL jdbc:postgresql://db.example:5432/campusedge");
        assertThat(parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u}").storage().postgres().connections())
                .isEqualTo(8);
    }

    @Test
    void storage_errors_name_the_key() {
        assertThatThrownBy(() -> parse("storage: {type: oracle}"))
                .hasMessageContaining("storage.type: must be one of sqlite, postgresql, got \"oracle\"");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, user: u}"))
                .hasMessageContaining("storage.url: is required");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db'}"))
                .hasMessageContaining("storage.user: is required");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'postgres://h/db?password=x', user: u}"))
                .hasMessageContaining("storage.url: must be a PostgreSQL JDBC URL").hasMessageNotContaining("password=x");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u, password-file: /nonexistent/pw}"))
                .hasMessageContaining("storage.password-file: cannot read /nonexistent/pw");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u, connections: 0}"))
                .hasMessageContaining("storage.connections: must be");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u, path: x.db}"))
                .hasMessageContaining("storage.path: applies to type sqlite only");
        assertThatThrownBy(() -> parse("storage: {path: x.db, url: 'jdbc:postgresql://h/db'}"))
                .hasMessageContaining("storage.url: applies to type postgresql only");
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u, pasword-file: x}"))
                .hasMessageContaining("storage.pasword-file: unknown key (did you mean \"password-file\"?)");
    }

    @Test
    void the_shipped_example_file_is_valid() throws Exception {
        Path example = Path.of("..", "deploy-scripts", "config", "datacenter.example.yaml");

        DataCenterConfig config = DataCenterConfig.load(example);

        assertThat(config.http().port()).isEqualTo(8090);
        assertThat(config.http().maxBodyBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.storage().path()).isEqualTo(Path.of("/var/lib/campus-edge-datacenter/datacenter.db"));
        assertThat(config.storage().type()).isEqualTo(DataCenterConfig.Storage.Type.SQLITE);
        assertThat(config.devices()).extracting(DataCenterConfig.DeviceEntry::id).containsExactly("school-017-box-1");
        assertThat(config.http().rateLimit()).isEqualTo(new DataCenterConfig.RateLimit(20, 100));
        assertThat(config.registry().path()).isEqualTo(Path.of("/var/lib/campus-edge-datacenter/datacenter-devices.db"));
        assertThat(config.queries().reader("change-me-bureau-0123456789")).map(DataCenterConfig.Reader::name).contains("city-bureau");
        assertThat(config.queries().terms()).extracting(DataCenterConfig.Term::name).containsExactly("2026-autumn", "2027-spring");
        assertThat(config.queries().zone()).isEqualTo(java.time.ZoneId.of("Asia/Shanghai"));
    }

    /** The commented PostgreSQL block of the example, switched on in place of the SQLite lines (registry.path too), is valid too. */
    @Test
    void the_example_files_postgresql_storage_is_valid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String example = java.nio.file.Files.readString(Path.of("..", "deploy-scripts", "config", "datacenter.example.yaml"));
        StringBuilder yaml = new StringBuilder();
        boolean inStorage = false;
        boolean inRegistry = false;
        for (String line : example.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#")) {
                inStorage = line.equals("storage:");
                inRegistry = line.equals("registry:");
            }
            if ((inStorage || inRegistry) && (line.equals("  type: sqlite") || line.startsWith("  path: "))) {
                continue;
            }
            yaml.append(inStorage && line.startsWith("  #   ") ? "  " + line.substring(6) : line).append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve("pg.password"), "secret\n");
        java.nio.file.Files.writeString(dir.resolve("dc.yaml"),
                yaml.toString().replace("/etc/campus-edge/datacenter-pg.password", "pg.password"));

        DataCenterConfig.Storage storage = DataCenterConfig.load(dir.resolve("dc.yaml")).storage();

        assertThat(storage.postgres()).isEqualTo(new DataCenterConfig.Postgres("jdbc:postgresql://127.0.0.1:5432/campusedge",
                "campusedge", dir.resolve("pg.password"), 8));
    }

    @Test
    void a_registry_file_with_postgresql_storage_is_refused_naming_the_key() {
        assertThatThrownBy(() -> parse("storage: {type: postgresql, url: 'jdbc:postgresql://h/db', user: u}\n"
                + "registry: {path: devices.db}"))
                .hasMessageContaining("registry.path: applies to storage type sqlite only");
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

    @Test
    void reads_the_query_readers_zone_and_terms() throws Exception {
        DataCenterConfig config = parse("""
                devices: [{id: box-1, school: Riverside, token: token-of-box-1-00000}]
                queries:
                  readers: [{name: city-bureau, token: token-of-the-bureau-0}]
                  zone: Asia/Shanghai
                  max-range-days: 120
                  max-page: 500
                  terms:
                    - {name: 2026-autumn, from: 2026-09-01, to: 2027-01-15}
                    - {name: 2027-spring, from: 2027-02-20, to: 2027-07-10}
                """);

        DataCenterConfig.Queries q = config.queries();
        assertThat(q.reader("token-of-the-bureau-0")).map(DataCenterConfig.Reader::name).contains("city-bureau");
        assertThat(q.reader("token-of-box-1-00000")).isEmpty();
        assertThat(q.zone()).isEqualTo(java.time.ZoneId.of("Asia/Shanghai"));
        assertThat(q.terms()).extracting(DataCenterConfig.Term::name).containsExactly("2026-autumn", "2027-spring");
        assertThat(q.maxRangeDays()).isEqualTo(120);
        assertThat(q.maxPage()).isEqualTo(500);
        assertThat(parse("devices: []").queries().readers()).as("no readers by default: every query is refused").isEmpty();
    }

    @Test
    void bad_query_settings_are_refused_naming_the_key() {
        assertThatThrownBy(() -> parse("queries: {zone: Mars/Olympus}"))
                .hasMessageContaining("queries.zone: must be a time zone such as Asia/Shanghai");
        assertThatThrownBy(() -> parse("queries: {readers: [{name: b, token: short}]}"))
                .hasMessageContaining("queries.readers[0].token: must be at least 16 characters");
        assertThatThrownBy(() -> parse("devices: [{id: box-1, school: R, token: same-token-000000}]\n"
                + "queries: {readers: [{name: b, token: same-token-000000}]}"))
                .hasMessageContaining("queries.readers[0].token: is already the token of a device");
        assertThatThrownBy(() -> parse("queries: {terms: [{name: a, from: 2026-09-01, to: 2027-01-15}, "
                + "{name: b, from: 2027-01-10, to: 2027-07-01}]}"))
                .hasMessageContaining("queries.terms[1].from: must be after the previous term's last day 2027-01-15");
        assertThatThrownBy(() -> parse("queries: {terms: [{name: a, from: 2026-09-31, to: 2027-01-15}]}"))
                .hasMessageContaining("queries.terms[0].from: must be a date such as 2026-09-01");
        assertThatThrownBy(() -> parse("queries: {reader: []}"))
                .hasMessageContaining("queries.reader: unknown key (did you mean \"readers\"?)");
    }
}
