package org.campusedge.agent.cli;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code campus-edge db restore --config FILE --from BACKUP}: puts a backup made by {@code db backup}
 * in place of the journal. Only with the agent stopped: a running agent would keep writing to
 * the file it has open. The backup must pass SQLite's integrity check first; the journal it
 * replaces is kept, as a consistent copy, in {@code journal.db.before-restore}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Replace the journal with a backup (the agent must be stopped: systemctl stop campus-edge).",
            "The backup is integrity-checked first; the old journal is kept as <journal>.before-restore."})
final class DbRestoreCommand implements Callable<Integer> {

    /**
     * Byte 128 of the -shm file: every SQLite connection with the WAL database open holds a read
     * lock on it (the "DMS" lock, sqlite3 os_unix.c UNIX_SHM_DMS; WAL format, sqlite.org/walformat.html
     * section 2.3.1). fcntl locks, which Java's FileChannel locks also are, so a write lock we
     * cannot get means another process has the journal open.
     */
    private static final long SHM_DMS_BYTE = 128;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
    Path config;

    @Option(names = "--from", required = true, paramLabel = "BACKUP", description = "A backup written by `db backup`.")
    Path from;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg = AgentConfigLoader.load(config);
        Path journal = cfg.storage().path().toAbsolutePath();
        Path backup = from.toAbsolutePath();
        if (!Files.isRegularFile(backup)) {
            throw new UserFacingException("no backup at " + backup, FailureHandler.BAD_CONFIG);
        }
        Optional<String> running = agentRunning(journal, cfg.http().port());
        if (running.isPresent()) {
            throw new UserFacingException("an agent is running (" + running.get() + "); stop it first: systemctl stop campus-edge",
                    FailureHandler.CHECK_FAILED);
        }
        List<String> problems = integrity(backup);
        if (!problems.isEmpty()) {
            throw new UserFacingException("backup " + backup + " fails the integrity check, journal left alone: "
                    + String.join("; ", problems), FailureHandler.CHECK_FAILED);
        }

        Optional<PosixFileAttributes> owner = Optional.empty();
        if (Files.exists(journal)) {
            owner = Optional.of(Files.readAttributes(journal, PosixFileAttributes.class));
            Path kept = keepAside(journal);
            System.out.printf("previous journal kept as %s%n", kept);
        } else if (journal.getParent() != null) {
            Files.createDirectories(journal.getParent());
        }
        Path staging = journal.resolveSibling(journal.getFileName() + ".restoring");
        Files.copy(backup, staging, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        // The old journal's WAL and index belong to the old file; with them left, SQLite would
        // replay the old WAL into the restored database.
        Files.deleteIfExists(sibling(journal, "-wal"));
        Files.deleteIfExists(sibling(journal, "-shm"));
        Files.move(staging, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (owner.isPresent()) {
            // Restores run as root; the agent (user campus-edge) must still own its journal.
            PosixFileAttributeView view = Files.getFileAttributeView(journal, PosixFileAttributeView.class);
            view.setOwner(owner.get().owner());
            view.setGroup(owner.get().group());
            view.setPermissions(owner.get().permissions());
        }
        List<String> after = integrity(journal);
        System.out.printf("journal %s restored from %s: integrity %s, %s%n", journal, backup,
                after.isEmpty() ? "ok" : String.join("; ", after), counts(journal));
        return after.isEmpty() ? 0 : FailureHandler.CHECK_FAILED;
    }

    /** Why we believe an agent has this journal open, if we do. */
    static Optional<String> agentRunning(Path journal, int httpPort) throws IOException {
        Path shm = sibling(journal, "-shm");
        if (Files.exists(shm)) {
            try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock(SHM_DMS_BYTE, 1, false);
                if (lock == null) {
                    return Optional.of("another process has " + journal + " open");
                }
                lock.release();
            }
        }
        if (httpPort > 0) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 1000);
                return Optional.of("its HTTP API answers on port " + httpPort);
            } catch (IOException e) {
                // Nothing listening on the agent's port: no agent on this box.
            }
        }
        return Optional.empty();
    }

    /** A consistent copy (SQLite backup API, so a leftover WAL is included) beside the journal. */
    private static Path keepAside(Path journal) throws SQLException, UserFacingException {
        Path kept = journal.resolveSibling(journal.getFileName() + ".before-restore");
        if (Files.exists(kept)) {
            kept = journal.resolveSibling(journal.getFileName() + ".before-restore-" + Instant.now().getEpochSecond());
        }
        if (kept.toString().contains("\"")) {
            throw new UserFacingException("journal path must not contain '\"'", FailureHandler.BAD_CONFIG);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + journal); Statement s = c.createStatement()) {
            s.executeUpdate("backup to \"" + kept + "\"");
        }
        return kept;
    }

    static List<String> integrity(Path db) {
        List<String> problems = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    if (!"ok".equals(rs.getString(1))) {
                        problems.add(rs.getString(1));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'streams')")) {
                if (!rs.next() || rs.getInt(1) != 2) {
                    problems.add("not a CampusEdge journal (no events and streams tables)");
                }
            }
        } catch (SQLException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static String counts(Path db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT s.stream, (SELECT count(*) FROM events e WHERE e.stream = s.stream), s.last_seq, s.acked_seq"
                     + " FROM streams s ORDER BY s.stream")) {
            while (rs.next()) {
                out.add(String.format("%s: %d events, last seq %d, acknowledged %d", rs.getString(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4)));
            }
        }
        return String.join("; ", out);
    }

    private static Path sibling(Path journal, String suffix) {
        return journal.resolveSibling(journal.getFileName() + suffix);
    }
}
