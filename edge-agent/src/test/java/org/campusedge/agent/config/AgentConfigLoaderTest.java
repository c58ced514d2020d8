package org.campusedge.agent.config;

import org.campusedge.sync.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigLoaderTest {

    private static final Path BASE = Path.of("/var/lib/campus-edge");

    static final String GOOD = """
            device:
              id: school-017-box-1
              school: No. 17 Middle School
              time-zone: Asia/Shanghai
            rooms:
              - id: studio-1
                name: Recording Studio
                type: recording-studio
                capacity: 8
              - id: robotics-1
                type: robotics-lab
            readers:
              - id: studio-door
                protocol: rdm6300
                port: /dev/campus-reader-studio
                room: studio-1
                relay-pin: 17
                led-pin: 27
                relay-pulse: 4s
            storage:
              path: journal.db
            sync:
              url: http://127.0.0.1:8090/
              token: s3cret
            http:
              bind: [localhost]
              port: 8080
            """;

    private static AgentConfig parse(String yaml) throws ConfigException {
        return AgentConfigLoader.parse(yaml, "agent.yaml", BASE);
    }

    @Test
    void the_downlink_is_on_with_sync_by_default_and_its_keys_are_checked() throws Exception {
        AgentConfig config = parse(GOOD);
        assertThat(config.sync().downlinkEnabled()).isTrue();
        assertThat(config.sync().downlink()).isEqualTo(SyncConfig.Downlink.DEFAULTS);
        AgentConfig tuned = parse(GOOD.replace("  token: s3cret\n", "  token: s3cret\n  downlink: {wait: 0s, interval: 30s}\n"));
        assertThat(tuned.sync().downlink()).isEqualTo(new SyncConfig.Downlink(true, java.time.Duration.ZERO,
                java.time.Duration.ofSeconds(30)));
        assertThat(parse(GOOD.replace("  token: s3cret\n", "  token: s3cret\n  downlink: {enabled: false}\n"))
                .sync().downlinkEnabled()).isFalse();
        assertThatThrownBy(() -> parse(GOOD.replace("  token: s3cret\n", "  token: s3cret\n  downlink: {interval: 1ms}\n")))
                .hasMessageContaining("sync.downlink.interval");
        assertThatThrownBy(() -> parse(GOOD.replace("  token: s3cret\n", "  token: s3cret\n  downlink: {since: 3}\n")))
                .hasMessageContaining("since");
    }

    @Test
    void occupancy_alarms_broker_operator_token_and_privacy_sections(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("op.token"), "op-token-0123456789abcdef\n");
        java.nio.file.Files.writeString(dir.resolve("city.key"), "ab".repeat(32));
        String extra = GOOD.replace("  port: 8080\n", "  port: 8080\n  operator-token-file: op.token\n") + """
                occupancy: {close-at: "21:30", standby-watts: 12.5, snapshot-every: 30s}
                alarms: [{id: hot, metric: temperature, above: 30}]
                broker: {port: 0}
                mqtt: {url: embedded}
                privacy: {pseudonymise: [card, person], key-file: city.key}
                """;
        AgentConfig c = AgentConfigLoader.parse(extra, "agent.yaml", dir);
        assertThat(c.occupancy().closeAt()).contains(java.time.LocalTime.of(21, 30));
        assertThat(c.occupancy().standbyWatts()).isEqualTo(12.5);
        assertThat(c.alarms()).singleElement().satisfies(a -> assertThat(a.id()).isEqualTo("hot"));
        assertThat(c.broker()).isPresent();
        assertThat(c.sensors().orElseThrow().usesEmbeddedBroker()).isTrue();
        assertThat(c.http().auth().tokens()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("operator");
            assertThat(t.role()).isEqualTo(org.campusedge.agent.auth.Role.MANAGER);
            assertThat(t.hash().matches("op-token-0123456789abcdef")).isTrue();
        });
        assertThat(c.privacy().orElseThrow().fields()).containsExactlyInAnyOrder("card", "person");

        assertThatThrownBy(() -> AgentConfigLoader.parse(GOOD + "occupancy: {close-at: \"25:00\"}\n", "agent.yaml", dir))
                .hasMessageContaining("occupancy.close-at");
        assertThatThrownBy(() -> AgentConfigLoader.parse(GOOD + "mqtt: {url: embedded}\n", "agent.yaml", dir))
                .hasMessageContaining("mqtt.url").hasMessageContaining("broker");
        java.nio.file.Files.writeString(dir.resolve("short.key"), "abcd");
        assertThatThrownBy(() -> AgentConfigLoader.parse(GOOD + "privacy: {pseudonymise: [card], key-file: short.key}\n",
                "agent.yaml", dir)).hasMessageContaining("privacy.key-file").hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> AgentConfigLoader.parse(GOOD + "privacy: {pseudonymise: [name], key-file: city.key}\n",
                "agent.yaml", dir)).hasMessageContaining("privacy.pseudonymise");
    }

    @Test
    void reads_a_complete_file_with_defaults_filled_in() throws Exception {
        AgentConfig c = parse(GOOD);
        assertThat(c.deviceId()).isEqualTo("school-017-box-1");
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.rooms()).extracting(RoomConfig::type).containsExactly(RoomType.RECORDING_STUDIO, RoomType.ROBOTICS_LAB);
        assertThat(c.rooms().get(1).capacity()).isEqualTo(30);
        ReaderConfig r = c.readers().get(0);
        assertThat(r.baud()).isEqualTo(9600);
        assertThat(r.door()).isEqualTo("main");
        assertThat(r.relayPin()).hasValue(17);
        assertThat(r.relayPulse()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.storage().path()).isEqualTo(BASE.resolve("journal.db"));
        assertThat(c.storage().durability()).isEqualTo(StorageConfig.Durability.FULL);
        assertThat(c.sync().url()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:8090"));
        assertThat(c.http().bind()).containsExactly("localhost");
        assertThat(c.gpio().provider()).isEqualTo(GpioConfig.Provider.MOCK);
    }

    @Test
    void the_installed_starting_configuration_runs_as_it_is_on_this_machine_only() throws Exception {
        // What the .deb and install.sh put in /etc/campus-edge/agent.yaml: valid without any edit,
        // so the service starts on install (it starts only once `config check` passes).
        AgentConfig c = AgentConfigLoader.load(Path.of("..", "deploy-scripts", "config", "agent.yaml"));
        assertThat(c.readers()).isEmpty();
        assertThat(c.sync().url()).isEmpty();
        assertThat(c.http().bind()).containsExactly("localhost");
        assertThat(c.storage().path()).isEqualTo(Path.of("/var/lib/campus-edge/journal.db"));
    }

    @Test
    void the_shipped_example_file_is_valid_and_documents_every_reader_key() throws Exception {
        Path example = Path.of("..", "deploy-scripts", "config", "agent.example.yaml");
        Path copy = java.nio.file.Files.createTempDirectory("example");
        // The example names a key file under /etc; point it at one this test owns.
        Path key = copy.resolve("robotics-door.key");
        java.nio.file.Files.writeString(key, "00112233445566778899aabbccddeeff\n");
        Path yaml = copy.resolve("agent.yaml");
        java.nio.file.Files.writeString(yaml, java.nio.file.Files.readString(example)
                .replace("/etc/campus-edge/keys/robotics-door.key", key.toString()));
        AgentConfig c = AgentConfigLoader.load(yaml);
        assertThat(c.deviceId()).isEqualTo("school-017-box-1");
        assertThat(c.readers()).extracting(ReaderConfig::protocol)
                .containsExactly(ReaderProtocol.RDM6300, ReaderProtocol.OSDP, ReaderProtocol.OSDP, ReaderProtocol.WIEGAND);
        assertThat(c.storage().path()).isEqualTo(Path.of("/var/lib/campus-edge/journal.db"));
        assertThat(c.storage().retention()).isEqualTo(StorageConfig.Retention.DEFAULTS);
        assertThat(c.storage().aggregateGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sync().enabled()).isTrue();
        assertThat(c.readers().get(1).secureChannel()).hasValueSatisfying(sc -> assertThat(sc.installMode()).isFalse());
        assertThat(c.readers()).extracting(ReaderConfig::direction).containsExactly(org.campusedge.agent.access.Direction.TOGGLE,
                org.campusedge.agent.access.Direction.IN, org.campusedge.agent.access.Direction.IN,
                org.campusedge.agent.access.Direction.OUT);
        assertThat(c.access().rooms()).containsOnlyKeys("studio-1", "robotics-1", "maker-1");
        assertThat(c.access().holidays().holiday(java.time.LocalDate.parse("2026-10-05")))
                .hasValueSatisfying(h -> assertThat(h.name()).isEqualTo("National Day Golden Week"));
        assertThat(c.access().lockdownExemptGroups()).contains("security");
        assertThat(c.access().room("robotics-1").orElseThrow().rules().get(1).window().crossesMidnight()).isTrue();
    }

    @Test
    void reads_retention_budget_and_grace_and_defaults_them() throws Exception {
        StorageConfig d = parse(GOOD).storage();
        assertThat(d.retention().readings()).isEqualTo(Duration.ofDays(30));
        assertThat(d.retention().aggregates()).isEqualTo(Duration.ofDays(400));
        assertThat(d.retention().diskBudgetBytes()).isEqualTo(2L << 30);
        StorageConfig s = parse(GOOD.replace("  path: journal.db\n", """
                  path: journal.db
                  disk-budget: 512MB
                  aggregate-grace: 30s
                  retention:
                    readings: 7d
                    aggregates: 90d
                    priority: 365d
                    interval: 1m
                """)).storage();
        assertThat(s.retention()).isEqualTo(new StorageConfig.Retention(Duration.ofDays(7), Duration.ofDays(90),
                Duration.ofDays(365), 512L << 20, Duration.ofMinutes(1)));
        assertThat(s.aggregateGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse(GOOD.replace("  path: journal.db\n", "  path: journal.db\n  disk-budget: 1 gb\n"))
                .storage().retention().diskBudgetBytes()).isEqualTo(1L << 30);
    }

    @Test
    void names_the_key_of_a_bad_size_or_retention() {
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n", "  path: journal.db\n  disk-budget: lots\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: storage.disk-budget: must be a size such as 512MB or 2GB, got \"lots\"");
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n", "  path: journal.db\n  disk-budget: 10KB\n")))
                .hasMessageContaining("storage.disk-budget: must be between 1MB and 1024GB, got 10KB");
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n",
                "  path: journal.db\n  retention:\n    readings: forever\n")))
                .hasMessageContaining("storage.retention.readings: must be a duration");
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n",
                "  path: journal.db\n  retention:\n    reading: 7d\n")))
                .hasMessageContaining("storage.retention.reading: unknown key (did you mean \"readings\"?)");
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n",
                "  path: journal.db\n  retention:\n    aggregates: 2d\n")))
                .as("the dashboard's week charts need a week of aggregates")
                .hasMessageContaining("storage.retention.aggregates: must be between 7d and");
        assertThatThrownBy(() -> parse(GOOD.replace("  path: journal.db\n", "  path: journal.db\n  aggregate-grace: 1h\n")))
                .hasMessageContaining("storage.aggregate-grace: must be between");
    }

    @Test
    void names_the_key_and_reason_for_a_non_numeric_baud() {
        assertThatThrownBy(() -> parse(GOOD.replace("room: studio-1\n    relay", "room: studio-1\n    baud: fast\n    relay")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: readers[0].baud: must be a whole number in 1200..921600, got \"fast\"");
    }

    @Test
    void rejects_a_non_standard_baud_rate() {
        assertThatThrownBy(() -> parse(GOOD.replace("room: studio-1\n    relay", "room: studio-1\n    baud: 12345\n    relay")))
                .hasMessageContaining("readers[0].baud: must be a standard rate (1200, 2400");
    }

    private static final String OSDP_BUS = """
            device: {id: box-1, school: X, time-zone: UTC}
            rooms: [{id: studio-1}, {id: lab-1}]
            readers:
              - {id: a, protocol: osdp, port: /dev/rs485, address: 1, room: studio-1}
              - {id: b, protocol: osdp, port: /dev/rs485, address: %s, room: lab-1%s}
            """;

    @Test
    void osdp_readers_share_a_bus_with_distinct_addresses() throws Exception {
        AgentConfig c = parse(OSDP_BUS.formatted("2", ""));
        assertThat(c.readers()).extracting(r -> r.address().getAsInt()).containsExactly(1, 2);
        assertThat(c.readers()).allMatch(r -> r.protocol() == ReaderProtocol.OSDP);
    }

    @Test
    void rejects_osdp_address_clashes_speed_mismatches_and_missing_addresses() {
        assertThatThrownBy(() -> parse(OSDP_BUS.formatted("1", "")))
                .hasMessageContaining("readers[1].address: address 1 on /dev/rs485 is already used by reader \"a\"");
        assertThatThrownBy(() -> parse(OSDP_BUS.formatted("2", ", baud: 115200")))
                .hasMessageContaining("readers[1].baud: the OSDP bus on /dev/rs485 runs at 9600");
        assertThatThrownBy(() -> parse(OSDP_BUS.replace("address: 1, ", "").formatted("2", "")))
                .hasMessageContaining("readers[0].address: is required for an OSDP reader");
        assertThatThrownBy(() -> parse(OSDP_BUS.formatted("200", "")))
                .hasMessageContaining("readers[1].address: must be a whole number in 0..126");
        assertThatThrownBy(() -> parse(OSDP_BUS.replace("protocol: osdp, port: /dev/rs485, address: 1", "protocol: rdm6300, port: /dev/rs485").formatted("2", "")))
                .hasMessageContaining("port /dev/rs485 is already used by reader \"a\" (only OSDP readers may share a bus)");
    }

    @Test
    void wiegand_readers_need_two_free_pins_and_known_formats() {
        String base = """
                device: {id: box-1, school: X, time-zone: UTC}
                rooms: [{id: steam-1}]
                readers: [{id: w, protocol: wiegand, room: steam-1, %s}]
                """;
        assertThatThrownBy(() -> parse(base.formatted("d0-pin: 5"))).hasMessageContaining("readers[0].d1-pin: is required for a Wiegand reader");
        assertThatThrownBy(() -> parse(base.formatted("d0-pin: 5, d1-pin: 5"))).hasMessageContaining("GPIO 5 is already used by w.d0-pin");
        assertThatThrownBy(() -> parse(base.formatted("d0-pin: 5, d1-pin: 6, relay-pin: 6"))).hasMessageContaining("readers[0].relay-pin: GPIO 6");
        assertThatThrownBy(() -> parse(base.formatted("d0-pin: 5, d1-pin: 6, formats: [h10302]")))
                .hasMessageContaining("readers[0].formats: unknown format \"h10302\"");
        assertThatThrownBy(() -> parse(base.formatted("d0-pin: 5, d1-pin: 6, port: /dev/ttyS0")))
                .hasMessageContaining("readers[0].port: unknown key");
    }

    @Test
    void rejects_a_misspelt_key_and_suggests_the_right_one() {
        assertThatThrownBy(() -> parse(GOOD.replace("relay-pulse", "relay-puls")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("readers[0].relay-puls: unknown key (did you mean \"relay-pulse\"?)");
    }

    @Test
    void rejects_a_reader_in_an_unknown_room() {
        assertThatThrownBy(() -> parse(GOOD.replace("room: studio-1\n    relay", "room: gym\n    relay")))
                .hasMessageContaining("readers[0].room: no room with id \"gym\"");
    }

    @Test
    void rejects_an_unknown_protocol_listing_the_known_ones() {
        assertThatThrownBy(() -> parse(GOOD.replace("protocol: rdm6300", "protocol: magstripe")))
                .hasMessageContaining("readers[0].protocol: must be one of rdm6300, osdp, pn532, wiegand, got \"magstripe\"");
    }

    @Test
    void rejects_a_missing_device_id() {
        assertThatThrownBy(() -> parse(GOOD.replace("  id: school-017-box-1\n", "")))
                .hasMessage("agent.yaml: device.id: is required");
    }

    @Test
    void rejects_duplicate_room_ids() {
        assertThatThrownBy(() -> parse(GOOD.replace("id: robotics-1", "id: studio-1")))
                .hasMessageContaining("rooms[1].id: duplicate room id \"studio-1\"");
    }

    @Test
    void rejects_a_gpio_pin_used_twice() {
        assertThatThrownBy(() -> parse(GOOD.replace("led-pin: 27", "led-pin: 17")))
                .hasMessageContaining("readers[0].led-pin: GPIO 17 is already used by studio-door.relay-pin");
    }

    @Test
    void sync_reads_a_ca_file_for_https_and_a_gzip_threshold(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(parse(GOOD).sync().gzipMinBytes()).isEqualTo(1024);
        assertThat(parse(GOOD).sync().caFile()).isEmpty();
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=test-ca", "-keyout", "ca.key", "-out", "ca.pem").directory(dir.toFile()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        String https = GOOD.replace("http://127.0.0.1:8090/", "https://[::1]:8090/")
                .replace("  token: s3cret\n", "  token: s3cret\n  ca-file: " + dir.resolve("ca.pem") + "\n  gzip-min-bytes: 0\n");

        SyncConfig sync = parse(https).sync();

        assertThat(sync.caFile()).contains(dir.resolve("ca.pem"));
        assertThat(sync.gzipMinBytes()).isZero();
        assertThatThrownBy(() -> parse(https.replace("https://[::1]", "http://[::1]")))
                .hasMessageContaining("sync.ca-file: applies only to an https:// url");
        assertThatThrownBy(() -> parse(https.replace(dir.resolve("ca.pem").toString(), dir.resolve("nope.pem").toString())))
                .hasMessageContaining("sync.ca-file: " + dir.resolve("nope.pem") + ": no such file");
    }

    @Test
    void rejects_sync_url_without_token() {
        assertThatThrownBy(() -> parse(GOOD.replace("  token: s3cret\n", "")))
                .hasMessageContaining("sync.token: is required when sync.url is set");
    }

    @Test
    void rejects_a_bad_url_and_a_bad_duration_and_a_bad_zone() {
        assertThatThrownBy(() -> parse(GOOD.replace("http://127.0.0.1:8090/", "ftp://x")))
                .hasMessageContaining("sync.url: must be an http:// or https:// URL");
        assertThatThrownBy(() -> parse(GOOD.replace("relay-pulse: 4s", "relay-pulse: forever")))
                .hasMessageContaining("readers[0].relay-pulse: must be a duration such as 500ms");
        assertThatThrownBy(() -> parse(GOOD.replace("Asia/Shanghai", "Mars/Olympus")))
                .hasMessageContaining("device.time-zone: not a known time zone");
    }

    @Test
    void reports_broken_yaml_with_its_line() {
        assertThatThrownBy(() -> parse("device:\n  id: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent.yaml: not valid YAML (line");
    }

    @Test
    void rejects_an_empty_file_and_a_top_level_list() {
        assertThatThrownBy(() -> parse("")).hasMessage("agent.yaml: the file is empty");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("the top level must be a mapping");
    }

    @Test
    void rejects_a_duplicate_key() {
        assertThatThrownBy(() -> parse(GOOD.replace("  port: 8080", "  port: 8080\n  port: 8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Duplicate field 'port'");
    }

    @Test
    void a_missing_file_is_named() {
        assertThatThrownBy(() -> AgentConfigLoader.load(Path.of("/nonexistent/agent.yaml")))
                .hasMessage("/nonexistent/agent.yaml: file not found");
    }
}
