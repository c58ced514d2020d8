package org.campusedge.agent.cli;

import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code campus-edge db check|backup|restore}: journal maintenance; check and backup are safe while the agent runs. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Journal maintenance (safe while the agent runs).",
        subcommands = {DbCommand.Check.class, DbCommand.Backup.class, DbRestoreCommand.class})
final class DbCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run SQLite's integrity check and print event counts and sync marks.")
    static final class Check implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
        Path config;

        @Override
        public Integer call() throws Exception {
            AgentConfig cfg = AgentConfigLoader.load(config);
            if (!Files.exists(cfg.storage().path())) {
                throw new UserFacingException("no journal at " + cfg.storage().path(), FailureHandler.CHECK_FAILED);
            }
            try (Journal journal = Journal.open(cfg.storage(), Clock.systemUTC())) {
                List<String> problems = journal.read(c -> {
                    List<String> out = new ArrayList<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                        while (rs.next()) {
                            if (!"ok".equals(rs.getString(1))) {
                                out.add(rs.getString(1));
                            }
                        }
                    }
                    return out;
                });
                System.out.printf("journal %s%n", journal.path());
                for (EventStream s : EventStream.values()) {
                    System.out.printf("  stream %-9s events %d, last seq %d, acknowledged %d, pending %d%n", s.wireName(),
                            journal.count(s), journal.lastSeq(s.wireName()), journal.ackedSeq(s.wireName()),
                            journal.pending().get(s));
                }
                if (!problems.isEmpty()) {
                    problems.forEach(p -> System.out.println("  integrity: " + p));
                    return FailureHandler.CHECK_FAILED;
                }
                System.out.println("  integrity: ok");
            }
            return 0;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent copy of the journal (SQLite online backup) while the agent runs.")
    static final class Backup implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Agent configuration (YAML).")
        Path config;

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "Backup file to write (must not exist).")
        Path target;

        @Override
        public Integer call() throws Exception {
            AgentConfig cfg = AgentConfigLoader.load(config);
            Path to = target.toAbsolutePath();
            if (Files.exists(to)) {
                throw new UserFacingException(to + " already exists; choose a new file", FailureHandler.BAD_CONFIG);
            }
            if (to.toString().contains("\"")) {
                throw new UserFacingException("backup path must not contain '\"'", FailureHandler.BAD_CONFIG);
            }
            try (Journal journal = Journal.open(cfg.storage(), Clock.systemUTC())) {
                journal.read(c -> {
                    try (Statement s = c.createStatement()) {
                        // sqlite-jdbc's "backup to" runs SQLite's online backup API on this connection.
                        s.executeUpdate("backup to \"" + to + "\"");
                    }
                    return null;
                });
            }
            System.out.printf("journal backed up to %s (%d bytes)%n", to, Files.size(to));
            return 0;
        }
    }
}
