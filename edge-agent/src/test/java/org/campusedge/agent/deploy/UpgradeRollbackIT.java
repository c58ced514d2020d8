package org.campusedge.agent.deploy;

import org.campusedge.agent.Version;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.Journal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy-scripts/bin/campus-edge-upgrade in a staging root with real agents: a small script plays
 * {@code systemctl restart} (CAMPUS_EDGE_RESTART: stop the agent, start the version {@code current}
 * links to), and the health check is the real {@code campus-edge status} against the agent's port.
 * A broken version is the real jar under another version number with Netty left out: it passes
 * {@code config check} and dies at start, as a bad release would.
 */
class UpgradeRollbackIT {

    private static final Path JAR = Path.of("target", "campus-edge.jar").toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String A = Version.get();

    @TempDir
    Path dir;

    private Path root;
    private Path cfg;
    private int port;

    @BeforeEach
    void stage() throws Exception {
        root = dir.resolve("root");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: school-it-box, school: IT School, time-zone: Europe/Berlin}
                rooms:
                  - {id: studio-1, type: recording-studio}
                readers: []
                gpio: {provider: mock}
                storage: {path: %s, durability: normal}
                http: {bind: [localhost], port: %d}
                """.formatted(dir.resolve("data/journal.db"), port));
        Path restart = dir.resolve("restart-agent.sh");
        Files.writeString(restart, """
                #!/bin/sh
                # Plays systemctl restart: stop the running agent, start the version current links to.
                if [ -f %1$s/agent.pid ]; then
                  pid=$(cat %1$s/agent.pid)
                  kill "$pid" 2>/dev/null
                  i=0
                  while kill -0 "$pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i + 1)); done
                fi
                %2$s -Xmx96m -jar %3$s/opt/campus-edge/current/campus-edge.jar agent --config %4$s \\
                  >>%1$s/agent.log 2>&1 </dev/null &
                echo $! >%1$s/agent.pid
                """.formatted(dir, JAVA, root, cfg));
        Files.setPosixFilePermissions(restart, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stopAgent() throws Exception {
        Path pid = dir.resolve("agent.pid");
        if (Files.exists(pid)) {
            var agent = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
            if (agent.isPresent()) {
                agent.get().destroy();
                agent.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Commands.Result upgrade(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Commands.DEPLOY.resolve("bin/campus-edge-upgrade").toString(),
                "--root", root.toString(), "--config", cfg.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, env);
    }

    private Commands.Result upgradeWithAgent(String... args) throws Exception {
        return upgrade(Map.of("CAMPUS_EDGE_RESTART", dir.resolve("restart-agent.sh").toString(),
                "CAMPUS_EDGE_HEALTH_INTERVAL", "1"), args);
    }

    private Path opt(String link) {
        return root.resolve("opt/campus-edge").resolve(link);
    }

    private String linkTarget(String link) throws Exception {
        return Files.readSymbolicLink(opt(link)).toString();
    }

    /** What the agent that now answers on the port says about itself. */
    private String runningStatus() throws Exception {
        Commands.Result r = Commands.run(List.of(JAVA, "-Xmx96m", "-jar", JAR.toString(), "status", "--url",
                "http://localhost:" + port));
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    private List<Path> backups() throws Exception {
        Path folder = dir.resolve("data/backups");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static String integrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void a_new_version_failing_its_health_check_is_rolled_back_and_the_old_one_runs_again() throws Exception {
        Commands.Result first = upgradeWithAgent("--health-timeout", "60", JAR.toString());
        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(first.out()).contains("installed and started " + A);
        assertThat(runningStatus()).contains("version " + A + ": ok");

        Path broken = JarVariants.variant(JAR, dir.resolve("broken.jar"), "0.3.0-broken", "io/netty/");
        Commands.Result r = upgradeWithAgent("--health-timeout", "30", broken.toString());

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("version 0.3.0-broken failed its health check", "rolling back to " + A,
                "rolled back: " + A + " runs again");
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);
        assertThat(opt("previous")).doesNotExist();
        assertThat(opt("versions/0.3.0-broken")).doesNotExist();
        assertThat(runningStatus()).contains("version " + A + ": ok");
        assertThat(backups()).singleElement().satisfies(b -> {
            assertThat(b.getFileName().toString()).startsWith("before-0.3.0-broken-").endsWith(".db");
            assertThat(integrity(b)).isEqualTo("ok");
        });
    }

    @Test
    void a_healthy_new_version_stays_with_the_old_one_kept_as_previous_and_rollback_goes_back() throws Exception {
        assertThat(upgradeWithAgent("--health-timeout", "60", JAR.toString()).exit()).isZero();

        Path good = JarVariants.variant(JAR, dir.resolve("good.jar"), "0.2.0", "");
        Commands.Result r = upgradeWithAgent("--health-timeout", "60", good.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("+ campus-edge db backup", "wait up to 60s for health ok at http://localhost:" + port,
                "switched " + A + " -> 0.2.0, healthy; " + A + " kept as previous");
        assertThat(linkTarget("current")).isEqualTo("versions/0.2.0");
        assertThat(linkTarget("previous")).isEqualTo("versions/" + A);
        assertThat(opt("current/campus-edge.jar")).hasSameBinaryContentAs(good);
        assertThat(opt("previous/campus-edge.jar")).hasSameBinaryContentAs(JAR);
        assertThat(runningStatus()).contains("version 0.2.0: ok");
        assertThat(backups()).hasSize(1);

        Commands.Result back = upgradeWithAgent("--health-timeout", "60", "--rollback");
        assertThat(back.exit()).as(back.out()).isZero();
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);
        assertThat(linkTarget("previous")).isEqualTo("versions/0.2.0");
        assertThat(runningStatus()).contains("version " + A + ": ok");
        assertThat(backups()).hasSize(2);
    }

    @Test
    void the_service_is_started_only_once_the_configuration_passes_its_check() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("stub-bin"));
        Path calls = dir.resolve("systemctl.calls");
        Path systemctl = Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >>" + calls + "\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "CAMPUS_EDGE_RESTART", "systemctl restart campus-edge.service"));
        String good = Files.readString(cfg);
        Files.writeString(cfg, good.replace("port: " + port, "port: eighty"));

        Commands.Result r = upgrade(env, JAR.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("http.port", "eighty",
                "installed " + A + ", not started: fix " + cfg, "then: sudo systemctl restart campus-edge");
        assertThat(calls).doesNotExist();
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);

        Files.writeString(cfg, good);
        Commands.Result again = upgrade(env, JAR.toString());
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("= version " + A + " is already current", "+ systemctl restart campus-edge.service");
        assertThat(Files.readAllLines(calls)).containsExactly("restart campus-edge.service");
    }

    @Test
    void a_version_that_rejects_the_running_configuration_is_not_installed() throws Exception {
        assertThat(upgrade(Map.of(), "--no-start", JAR.toString()).exit()).isZero();
        Path noConfig = JarVariants.variant(JAR, dir.resolve("no-config.jar"), "0.4.0", "org/campusedge/agent/config/");

        Commands.Result r = upgrade(Map.of(), "--version", "0.4.0", noConfig.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("version 0.4.0 does not accept " + cfg + ", which " + A + " runs with; nothing changed");
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);
        assertThat(opt("versions/0.4.0")).doesNotExist();
        assertThat(backups()).isEmpty();
    }

    @Test
    void a_failed_journal_backup_stops_the_upgrade_before_anything_changes() throws Exception {
        assertThat(upgrade(Map.of(), "--no-start", JAR.toString()).exit()).isZero();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/journal.db"), "not a SQLite journal at all, and long enough to be read as one");
        Path good = JarVariants.variant(JAR, dir.resolve("good.jar"), "0.2.0", "");

        Commands.Result r = upgrade(Map.of("CAMPUS_EDGE_RESTART", "false"), good.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(3);
        assertThat(r.out()).contains("journal backup to " + dir.resolve("data/backups/before-0.2.0-"),
                "failed; nothing was changed, " + A + " still runs");
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);
        assertThat(opt("previous")).doesNotExist();
        assertThat(opt("versions/0.2.0")).doesNotExist();
        assertThat(r.out()).doesNotContain("+ false");
    }

    @Test
    void dry_run_prints_every_action_and_changes_nothing() throws Exception {
        assertThat(upgrade(Map.of(), "--no-start", JAR.toString()).exit()).isZero();
        try (Journal journal = Journal.open(AgentConfigLoader.load(cfg).storage(), Clock.systemUTC())) {
            assertThat(journal.path()).exists();
        }
        Path good = JarVariants.variant(JAR, dir.resolve("good.jar"), "0.2.0", "");
        Path versions = opt("versions");

        Commands.Result r = upgrade(Map.of("CAMPUS_EDGE_RESTART", "false"), "--dry-run", good.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains(
                "+ install -d -m 0750 " + dir.resolve("data/backups"),
                "+ campus-edge db backup --config " + cfg + " --to " + dir.resolve("data/backups/before-0.2.0-"),
                "+ install -D -m 0644 " + good + " " + versions + "/.incoming/campus-edge.jar",
                "+ mv -T " + versions + "/.incoming " + versions + "/0.2.0",
                "+ ln -sfn versions/" + A + " " + opt(".previous.new"),
                "+ mv -T " + opt(".current.new") + " " + opt("current"),
                "+ false",
                "+ wait up to 180s for health answers at http://localhost:" + port);
        assertThat(linkTarget("current")).isEqualTo("versions/" + A);
        assertThat(opt("previous")).doesNotExist();
        try (Stream<Path> installed = Files.list(versions)) {
            assertThat(installed.map(p -> p.getFileName().toString())).containsExactly(A);
        }
        assertThat(dir.resolve("data/backups")).doesNotExist();
    }
}
