package org.campusedge.agent.cli;

import org.campusedge.agent.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one launcher: {@code campus-edge <verb>}. Every verb has {@code --help}. Exit codes: 0
 * success, 1 a check failed or the service reported a problem, 2 bad usage or configuration,
 * 3 the service could not start or a runtime failure.
 */
@Command(name = "campus-edge",
        mixinStandardHelpOptions = true,
        versionProvider = CampusEdgeCli.VersionProvider.class,
        description = "CampusEdge: edge controller for a school's special rooms (card readers, journal, city sync).",
        subcommands = {
            DemoCommand.class,
            AgentCommand.class,
            DatacenterCommand.class,
            StatusCommand.class,
            AccessCommand.class,
            UsersCommand.class,
            ProvisionCommand.class,
            DownlinkCommand.class,
            OsdpCommandLine.class,
            CardsCommand.class,
            DbCommand.class,
            ConfigCommand.class,
            DevicesCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CampusEdgeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests and {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new CampusEdgeCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureHandler())
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints {@code --version}. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"campus-edge " + Version.get(), "Java " + Runtime.version()};
        }
    }
}
