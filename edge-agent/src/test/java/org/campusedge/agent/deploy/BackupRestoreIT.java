package org.campusedge.agent.deploy;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code db backup} (the launcher, a separate process) while the journal's writer commits events
 * without pause, then {@code db restore}: refused while another process has the journal open
 * (here: this test's JVM, then a real agent), accepted once it is closed, and the restored
 * journal passes the integrity check with exactly the backup's events.
 */
class BackupRestoreIT {

    private static final Path JAR = Path.of("target", "campus-edge.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: school-it-box, school: IT School, time-zone: Europe/Berlin}
                rooms:
                  - {id: studio-1, type: recording-studio}
                readers: []
                gpio: {provider: mock}
                storage: {path: data/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                """);
        return cfg;
    }

    private static Commands.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    @Test
    void backup_while_writing_then_restore_gives_the_backups_events_and_keeps_the_old_journal() throws Exception {
        Path cfg = config();
        AgentConfig config = AgentConfigLoader.load(cfg);
        Path backup = dir.resolve("backup.db");
        AtomicLong written = new AtomicLong();
        long atBackupStart;
        long atBackupEnd;
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(), Optional.of("studio-1"),
                            "{\"reader\":\"studio-door\",\"granted\":true}")).join();
                    written.incrementAndGet();
                }
            }, "test-writer");
            writer.start();
            try {
                waitUntil(() -> written.get() >= 2_000);
                atBackupStart = written.get();
                Commands.Result b = cli("db", "backup", "--config", cfg.toString(), "--to", backup.toString());
                atBackupEnd = written.get();
                assertThat(b.exit()).as(b.out()).isZero();

                Commands.Result refused = cli("db", "restore", "--config", cfg.toString(), "--from", backup.toString());
                assertThat(refused.exit()).as(refused.out()).isEqualTo(1);
                assertThat(refused.out()).contains("another process has", "stop it first");
            } finally {
                stop.set(true);
                writer.join();
            }
        }
        assertThat(atBackupEnd).as("the writer kept committing while the backup ran").isGreaterThan(atBackupStart);
        long inBackup = events(backup);
        assertThat(inBackup).as("a consistent snapshot from during the backup")
                .isBetween(atBackupStart, atBackupEnd + 1);
        assertThat(integrity(backup)).isEqualTo("ok");
        long before = events(config.storage().path());
        assertThat(before).isGreaterThan(inBackup);

        Commands.Result r = cli("db", "restore", "--config", cfg.toString(), "--from", backup.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("integrity ok", "priority: " + inBackup + " events");
        assertThat(events(config.storage().path())).isEqualTo(inBackup);
        assertThat(integrity(config.storage().path())).isEqualTo("ok");
        Path kept = config.storage().path().resolveSibling("journal.db.before-restore");
        assertThat(events(kept)).isEqualTo(before);
        assertThat(integrity(kept)).isEqualTo("ok");

        // The agent opens the restored journal and goes on from the backup's sequence numbers.
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            assertThat(journal.lastSeq(EventStream.PRIORITY.wireName())).isEqualTo(inBackup);
        }
    }

    @Test
    void restore_refuses_a_damaged_backup_and_leaves_the_journal_alone() throws Exception {
        Path cfg = config();
        AgentConfig config = AgentConfigLoader.load(cfg);
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(), Optional.of("studio-1"), "{}")).join();
        }
        Path bad = Files.write(dir.resolve("bad.db"), "SQLite format 3\0 but not really".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Commands.Result r = cli("db", "restore", "--config", cfg.toString(), "--from", bad.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("fails the integrity check, journal left alone");
        assertThat(events(config.storage().path())).isEqualTo(1);
        assertThat(config.storage().path().resolveSibling("journal.db.before-restore")).doesNotExist();
    }

    @Test
    void restore_refuses_while_a_real_agent_runs() throws Exception {
        Path cfg = config();
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-jar", JAR.toString(), "agent", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            Path journal = dir.resolve("data/journal.db");
            waitUntil(() -> Files.exists(journal.resolveSibling("journal.db-shm")));
            Path backup = dir.resolve("backup.db");
            assertThat(cli("db", "backup", "--config", cfg.toString(), "--to", backup.toString()).exit()).isZero();
            Commands.Result r = cli("db", "restore", "--config", cfg.toString(), "--from", backup.toString());
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains("an agent is running", "systemctl stop campus-edge");
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    private static long events(Path db) throws Exception {
        return query(db, "SELECT count(*) FROM events WHERE stream = 'priority'");
    }

    private static String integrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long query(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
