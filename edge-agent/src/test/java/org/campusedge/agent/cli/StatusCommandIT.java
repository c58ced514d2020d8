package org.campusedge.agent.cli;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.Version;
import org.campusedge.agent.config.AgentConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code campus-edge status} against a running agent: the summary, readers, journal, disk and sync lines. */
class StatusCommandIT {

    private static final String TOKEN = "status-token-41c9e07b2a";

    @RegisterExtension
    final StdStreams std = new StdStreams();

    @TempDir
    Path dir;

    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void prints_version_uptime_journal_disk_and_sync_of_a_running_agent() throws Exception {
        Files.writeString(dir.resolve("it.token"), TOKEN + "\n");
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-status, school: IT School, time-zone: Asia/Shanghai}
                rooms: [{id: maker-1, type: maker-space, capacity: 20}]
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0, tokens: [{name: it, role: viewer, token-file: it.token}]}
                """);
        agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults());
        int code = CampusEdgeCli.run("status", "--url", "http://127.0.0.1:" + agent.httpPort(),
                "--token-file", dir.resolve("it.token").toString());
        String out = std.out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("box-status (IT School) version " + Version.get() + ": ok, up ")
                .contains("journal " + agent.journal().path())
                .containsPattern("disk +journal \\d+ MiB of a \\d+ MiB budget; \\d+ MiB free of \\d+ MiB at ")
                .contains("sync disabled");
    }
}
