package org.campusedge.agent.e2e;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the real data center process with SIGKILL while a real agent process uploads a backlog
 * into it, leaves it down a while (the box backs off and retries), starts it again on the same
 * store, and checks by counting that every journaled event is at the center exactly once — on
 * the SQLite store (a file cut off mid-transaction) and on PostgreSQL (a session cut off
 * mid-COPY).
 */
class DataCenterKillIT {

    private static final int BACKLOG = 30_000;
    private static final String PG_SERVER = System.getProperty("campusedge.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getProperty("campusedge.pg.user", "postgres");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void killing_the_data_center_mid_upload_loses_and_duplicates_nothing(String storage) throws Exception {
        Path jar = Path.of("target", "campus-edge.jar").toAbsolutePath();
        assertThat(jar).as("the shaded launcher is built in the package phase").exists();
        String schema = "ce_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (storage.equals("postgresql")) {
            admin("CREATE SCHEMA " + schema);
        }
        try {
            int port = freePort();
            Path dcConfig = dataCenterConfig(storage, schema, port);
            Path agentConfig = TestSchool.agentConfig(dir, dir.resolve("no-reader-attached").toString(), port, "  batch-size: 200");
            AgentConfig config = AgentConfigLoader.load(agentConfig);
            fillJournal(config);

            Process center = launch(jar, "datacenter", dcConfig, "datacenter-first");
            Process agent = null;
            try {
                awaitHealthy(port, center);
                agent = launch(jar, "agent", agentConfig, "agent");
                Process first = center;
                Waits.until("upload under way", Duration.ofSeconds(60), () -> count(storage, schema) >= 2_000);
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no close
                assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long atKill = count(storage, schema);
                assertThat(atKill).as("killed mid-upload").isLessThan(BACKLOG);
                System.out.printf(Locale.ROOT, "DataCenterKillIT[%s]: data center killed with %d of %d events stored%n",
                        storage, atKill, BACKLOG);

                Thread.sleep(3_000); // down a while: the box's requests are refused, it backs off
                assertThat(ackedSeq(config)).as("the box forgets nothing the center did not acknowledge").isLessThanOrEqualTo(atKill);

                center = launch(jar, "datacenter", dcConfig, "datacenter-second");
                awaitHealthy(port, center);
                Waits.until("backlog drained after the restart", Duration.ofSeconds(120),
                        () -> ackedSeq(config) >= BACKLOG && ackedSeq(config) == mark(config, "last_seq"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; at the center " + count(storage, schema) + ", acknowledged "
                        + ackedSeq(config) + logs(), e);
            } finally {
                if (agent != null) {
                    agent.destroyForcibly();
                    agent.waitFor(10, TimeUnit.SECONDS);
                }
                center.destroy();
                center.waitFor(20, TimeUnit.SECONDS);
            }

            // The backlog and what the agent journaled itself meanwhile (its reader going offline).
            Map<Long, String> journaled = new HashMap<>();
            try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
                journal.after("priority", 0, Integer.MAX_VALUE).forEach(e -> journaled.put(e.seq(), e.payloadJson()));
            }
            assertThat(journaled.size()).isGreaterThanOrEqualTo(BACKLOG);
            assertThat(stored(storage, schema)).as("every journaled event once, nothing else").isEqualTo(journaled);
        } finally {
            if (storage.equals("postgresql")) {
                admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private String logs() throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("agent", "datacenter-first", "datacenter-second")) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                b.append("\n--- ").append(name).append(" log:\n").append(Files.readString(log));
            }
        }
        return b.toString();
    }

    private Path dataCenterConfig(String storage, String schema, int port) throws Exception {
        String store = storage.equals("sqlite")
                ? "storage: {type: sqlite, path: dc/datacenter.db}\n"
                : "storage: {type: postgresql, url: \"" + PG_SERVER + "?currentSchema=" + schema + "\", user: " + PG_USER + "}\n";
        Path cfg = dir.resolve("datacenter.yaml");
        Files.writeString(cfg, """
                http: {bind: [localhost], port: %d, rate-limit: {requests-per-second: 1000, burst: 1000}}
                %sdevices:
                  - {id: %s, school: IT School, token: %s}
                """.formatted(port, store, TestSchool.DEVICE, TestSchool.TOKEN));
        return cfg;
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

    private Process launch(Path jar, String verb, Path cfg, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar.toString(), verb, "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitHealthy(int port, Process center) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Waits.until("data center up", Duration.ofSeconds(60), () -> {
            assertThat(center.isAlive()).as("data center process; see its log in " + dir).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** Events of the box at the center, read from the store the data center process writes. */
    private long count(String storage, String schema) {
        try (Connection c = centerStore(storage, schema);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE device = ? AND stream = 'priority'")) {
            ps.setString(1, TestSchool.DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    private Map<Long, String> stored(String storage, String schema) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = centerStore(storage, schema);
             PreparedStatement ps = c.prepareStatement("SELECT seq, payload FROM events WHERE device = ? AND stream = 'priority'")) {
            ps.setString(1, TestSchool.DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(out.put(rs.getLong(1), rs.getString(2))).as("seq %d stored twice", rs.getLong(1)).isNull();
                }
            }
        }
        return out;
    }

    private Connection centerStore(String storage, String schema) throws SQLException {
        return storage.equals("sqlite")
                ? DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dc/datacenter.db"))
                : DriverManager.getConnection(PG_SERVER + "?currentSchema=" + schema, PG_USER, "");
    }

    private static long ackedSeq(AgentConfig config) {
        return mark(config, "acked_seq");
    }

    private static long mark(AgentConfig config, String column) {
        return TestSchool.priorityMark(config, column);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
