package org.campusedge.agent.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code campus-edge downlink}: imports, bad input, removal and status against a data center's files. */
class DownlinkCommandTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        config = dir.resolve("dc.yaml");
        Files.writeString(config, """
                storage: {path: dc/datacenter.db}
                devices:
                  - {id: box-1, school: Riverside, token: 0123456789abcdef0123}
                """);
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        return CampusEdgeCli.run(args);
    }

    @Test
    void imports_cards_then_refuses_a_malformed_file_whole_naming_line_and_column() throws Exception {
        Path good = dir.resolve("cards.csv");
        Files.writeString(good, "card_id,person,rooms,valid_from,valid_until\n0A01,S-1,*,,\n0A02,S-2,studio-1,,\n");
        assertThat(run("downlink", "import", "--config", config.toString(), "--school", "Riverside", "--cards", good.toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("school:Riverside: 2 item(s) read, 2 changed; downlink version 1");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "card_id,person,rooms,valid_from,valid_until\n0A03,S-3,*,,\n0A04,S-4,*,someday,\n");
        assertThat(run("downlink", "import", "--config", config.toString(), "--school", "Riverside", "--cards", bad.toString(),
                "--replace")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.csv:3: column 4 (valid_from)").contains("nothing was imported");

        assertThat(run("provision", "--config", config.toString(), "--id", "box-2", "--school", "Riverside")).isZero();
        assertThat(run("downlink", "status", "--config", config.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("downlink version 1\n").contains("box-2").contains("never fetched");
    }

    @Test
    void removes_an_item_and_says_so_when_there_is_none() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "holidays:\n  - {id: national-day, name: National Day, from: 2026-10-01, to: 2026-10-07}\n");
        assertThat(run("downlink", "import", "--config", config.toString(), "--device", "box-1", "--policy", policy.toString()))
                .isZero();
        assertThat(run("downlink", "remove", "--config", config.toString(), "--device", "box-1", "--kind", "holiday",
                "--key", "national-day")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("removed holiday national-day from device:box-1; downlink version 2");
        assertThat(run("downlink", "remove", "--config", config.toString(), "--device", "box-1", "--kind", "holiday",
                "--key", "national-day")).isEqualTo(1);
        assertThat(run("downlink", "remove", "--config", config.toString(), "--device", "box-1", "--kind", "badge",
                "--key", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--kind must be one of card, room, schedule, holiday, alarm-rule");
    }
}
