package org.campusedge.agent.e2e;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the real agent process with SIGKILL while it uploads a backlog, starts it again, and
 * checks that every journaled event is at the data center exactly once.
 */
class AgentRestartIT {

    private static final int BACKLOG = 20_000;

    @TempDir
    Path dir;

    @Test
    void killing_the_agent_mid_upload_loses_and_duplicates_nothing() throws Exception {
        Path jar = Path.of("target", "campus-edge.jar").toAbsolutePath();
        assertThat(jar).as("the shaded launcher is built in the package phase").exists();
        try (DataCenter dc = TestSchool.startDataCenter(dir)) {
            Path cfg = TestSchool.agentConfig(dir, dir.resolve("no-reader-attached").toString(), dc.port(), "  batch-size: 50");
            AgentConfig config = AgentConfigLoader.load(cfg);
            fillJournal(config);

            Process first = launch(jar, cfg, "first");
            Waits.until("upload under way", Duration.ofSeconds(60), () -> count(dc) >= 1_000);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long atKill = count(dc);
            assertThat(atKill).as("killed mid-upload").isLessThan(BACKLOG);
            System.out.printf("AgentRestartIT: agent killed with %d of %d backlog events at the center%n", atKill, BACKLOG);

            Process second = launch(jar, cfg, "second");
            try {
                Waits.until("backlog drained after restart", Duration.ofSeconds(90),
                        () -> count(dc) > 0 && count(dc) == lastSeq(config) && ackedSeq(config) == lastSeq(config));
            } finally {
                second.destroyForcibly();
                second.waitFor(10, TimeUnit.SECONDS);
            }

            Map<Long, String> journaled = new HashMap<>();
            try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
                journal.after("priority", 0, Integer.MAX_VALUE).forEach(e -> journaled.put(e.seq(), e.payloadJson()));
            }
            List<StoredEvent> atCenter = dc.store().events(TestSchool.DEVICE, "priority", 0, Integer.MAX_VALUE);
            assertThat(atCenter).hasSize(journaled.size());
            assertThat(atCenter).extracting(StoredEvent::seq).doesNotHaveDuplicates();
            for (StoredEvent e : atCenter) {
                assertThat(e.payloadJson()).as("event %d", e.seq()).isEqualTo(journaled.get(e.seq()));
            }
            assertThat(journaled.size()).isGreaterThanOrEqualTo(BACKLOG);
        }
    }

    private static void fillJournal(AgentConfig config) {
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
            for (int i = 0; i < BACKLOG; i++) {
                fs.add(journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(), Optional.of("studio-1"),
                        "{\"reader\":\"studio-door\",\"card\":\"" + String.format("%010X", i) + "\",\"granted\":" + (i % 3 != 0) + "}")));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
        }
    }

    private Process launch(Path jar, Path cfg, String name) throws Exception {
        Path log = dir.resolve("agent-" + name + ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-jar", jar.toString(), "agent", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long count(DataCenter dc) {
        return dc.store().count(TestSchool.DEVICE, "priority");
    }

    private static long lastSeq(AgentConfig config) {
        return mark(config, "last_seq");
    }

    private static long ackedSeq(AgentConfig config) {
        return mark(config, "acked_seq");
    }

    private static long mark(AgentConfig config, String column) {
        return TestSchool.priorityMark(config, column);
    }
}
