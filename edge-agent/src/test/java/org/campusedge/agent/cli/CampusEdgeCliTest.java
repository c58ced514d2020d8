package org.campusedge.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CampusEdgeCliTest {

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out;
    private final ByteArrayOutputStream err = std.err;

    @TempDir
    Path dir;

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Every verb and sub-verb the launcher has, walked from its command tree ("bench mqtt", "db check", ...). */
    static Stream<String> verbs() {
        return verbsUnder(new CommandLine(new CampusEdgeCli()), "");
    }

    private static Stream<String> verbsUnder(CommandLine command, String prefix) {
        return command.getSubcommands().entrySet().stream()
                .filter(e -> !e.getKey().equals("help") && e.getValue().getCommandName().equals(e.getKey()))
                .flatMap(e -> Stream.concat(Stream.of(prefix + e.getKey()), verbsUnder(e.getValue(), prefix + e.getKey() + " ")));
    }

    @ParameterizedTest
    @MethodSource("verbs")
    void every_verb_has_help_that_renders_cleanly(String verb) {
        String[] args = (verb + " --help").split(" ");
        assertThat(CampusEdgeCli.run(args)).isZero();
        assertThat(stdout()).contains("Usage: campus-edge " + verb);
        assertThat(stderr()).as("picocli complains about the help text (an unescaped %?)").isEmpty();
    }

    @Test
    void the_verb_tree_is_walked_down_to_sub_verbs() {
        assertThat(verbs()).contains("demo", "agent", "bench mqtt", "bench dashboard", "db check", "downlink compact", "osdp decode");
    }

    @Test
    void top_level_help_lists_the_verbs() {
        assertThat(CampusEdgeCli.run("--help")).isZero();
        assertThat(stdout()).contains("demo", "agent", "datacenter", "status", "cards", "db", "bench");
    }

    @Test
    void the_decision_bench_runs_the_full_policy_and_prints_percentiles() {
        assertThat(CampusEdgeCli.run("bench", "decision", "--cards", "2000", "--taps", "20000")).isZero();
        assertThat(stdout()).contains("20000 taps against 2000 cards, 3 rooms with 12 timetable rules", "outside_schedule",
                "holiday", "room_full", "anti_passback", "exit", "p50", "p99");
    }

    @Test
    void a_corrupt_config_fails_with_the_key_and_exit_code_2() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, "device:\n  id: box-1\n  school: X\nrooms:\n  - id: r1\n    capacity: many\n");
        assertThat(CampusEdgeCli.run("agent", "--config", cfg.toString())).isEqualTo(2);
        assertThat(stderr()).contains("configuration error:", "rooms[0].capacity: must be a whole number in 0..10000, got \"many\"")
                .doesNotContain("Exception");
    }

    @Test
    void a_config_that_is_not_yaml_fails_cleanly() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.write(cfg, new byte[] {'{', 0x00, (byte) 0xff, ':', '\n', '[', '['});
        assertThat(CampusEdgeCli.run("config", "check", "--config", cfg.toString())).isEqualTo(2);
        assertThat(stderr()).contains("agent.yaml").doesNotContain("\tat ");
    }

    @Test
    void a_missing_option_is_a_usage_error() {
        assertThat(CampusEdgeCli.run("agent")).isEqualTo(2);
        assertThat(stderr()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void config_check_describes_a_good_file() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: Test School, time-zone: UTC}
                rooms: [{id: studio-1, type: recording-studio}]
                readers: [{id: door-1, protocol: rdm6300, port: /dev/ttyUSB0, room: studio-1}]
                """);
        assertThat(CampusEdgeCli.run("config", "check", "--config", cfg.toString())).isZero();
        assertThat(stdout()).contains("OK", "room studio-1", "reader door-1", "sync disabled");
    }

    /** Writes a one-room agent config and imports one card through the CLI; returns the config. */
    private Path oneRoomWithOneCard() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: Test School, time-zone: UTC}
                rooms: [{id: studio-1}]
                storage: {path: data/journal.db}
                """);
        Path csv = dir.resolve("cards.csv");
        Files.writeString(csv, "card_id,person,rooms,valid_from,valid_until\n0a00d6e3f2,S-1,studio-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", csv.toString())).isZero();
        return cfg;
    }

    @Test
    void cards_import_then_list_round_trips_and_reports_bad_lines() throws Exception {
        Path cfg = oneRoomWithOneCard();
        Path csv = dir.resolve("cards.csv");
        assertThat(stdout()).contains("imported 1 cards");
        assertThat(CampusEdgeCli.run("cards", "list", "--config", cfg.toString())).isZero();
        assertThat(stdout()).contains("0A00D6E3F2", "S-1", "studio-1");

        Files.writeString(csv, "card_id,person,rooms,valid_from,valid_until\n0a00d6e3f2,S-1,gym,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", csv.toString())).isEqualTo(2);
        assertThat(stderr()).contains("cards.csv:2: column 3 (rooms): unknown room \"gym\"");
    }

    @Test
    void cards_import_reads_the_groups_column_and_list_prints_it() throws Exception {
        Path cfg = oneRoomWithOneCard();
        Path csv = dir.resolve("cards.csv");
        Files.writeString(csv, "card_id,person,rooms,valid_from,valid_until,groups\n1f00a4b2c3,S-2,,,,Media-Club;grade-8\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", csv.toString())).isZero();
        assertThat(CampusEdgeCli.run("cards", "list", "--config", cfg.toString())).isZero();
        assertThat(stdout()).contains("allow-list version 2, 2 cards").containsPattern("1F00A4B2C3 +S-2 .*grade-8;media-club");
    }

    @Test
    void db_check_and_backup_work_on_a_journal() throws Exception {
        Path cfg = oneRoomWithOneCard();
        Path csv = dir.resolve("cards.csv");
        assertThat(CampusEdgeCli.run("db", "check", "--config", cfg.toString())).isZero();
        assertThat(stdout()).contains("integrity: ok", "stream priority");
        Path backup = dir.resolve("backup.db");
        assertThat(CampusEdgeCli.run("db", "backup", "--config", cfg.toString(), "--to", backup.toString())).isZero();
        assertThat(backup).exists();
        assertThat(CampusEdgeCli.run("db", "backup", "--config", cfg.toString(), "--to", backup.toString())).isEqualTo(2);
        assertThat(stderr()).contains("already exists");
    }

    @Test
    void provision_prints_a_token_once_and_writes_a_private_token_file() throws Exception {
        Path tokenFile = dir.resolve("device.token");
        assertThat(CampusEdgeCli.run("provision", "--id", "school-017-box-1", "--school", "No. 17 Middle School",
                "--token-file", tokenFile.toString())).isZero();
        String token = Files.readString(tokenFile).trim();
        assertThat(token).matches("[0-9a-f]{48}");
        assertThat(java.nio.file.Files.getPosixFilePermissions(tokenFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(stdout()).contains(token, "- id: school-017-box-1", "token-file: " + tokenFile.toAbsolutePath());
        assertThat(CampusEdgeCli.run("provision", "--id", "x", "--school", "y", "--token-file", tokenFile.toString()))
                .isEqualTo(2);
        assertThat(stderr()).contains("already exists");
        assertThat(CampusEdgeCli.run("provision", "--id", "bad id!", "--school", "y")).isEqualTo(2);
    }

    @Test
    void osdp_decode_describes_a_captured_poll_and_reports_damage() {
        String pdid = java.util.HexFormat.of().formatHex(org.campusedge.bridge.osdp.OsdpEncoder.encode(
                org.campusedge.bridge.osdp.OsdpPacket.reply(0x65, 1, org.campusedge.bridge.osdp.OsdpReply.PDID,
                        java.util.HexFormat.of().parseHex("a1a2a3b1c1d1d2d3d4e1e2e3"))));
        assertThat(CampusEdgeCli.run("osdp", "decode", "ff 53 65 08 00 04 60 60 90", pdid)).isZero();
        assertThat(stdout()).contains("ACU->PD addr 101 sqn 0 crc16    osdp_POLL")
                .contains("PD->ACU addr 101").contains("osdp_PDID", "vendorOui=A1A2A3");
        assertThat(CampusEdgeCli.run("osdp", "decode", "ff 53 65 08 00 04 60 60 91")).isEqualTo(1);
        assertThat(stdout()).contains("1 check-character errors");
        assertThat(CampusEdgeCli.run("osdp", "decode", "zz")).isEqualTo(2);
    }

    @Test
    void status_of_an_unreachable_agent_exits_3() {
        assertThat(CampusEdgeCli.run("status", "--url", "http://127.0.0.1:1")).isEqualTo(3);
        assertThat(stderr()).contains("cannot reach the agent at http://127.0.0.1:1");
    }
}
