package org.campusedge.agent.cli;

import org.campusedge.agent.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code campus-edge demo}: the whole system in one process on a fresh machine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a simulated school in one process: a data center, an agent, three card readers",
            "on pseudo-terminals (in-process links if socat is missing) and students tapping cards.",
            "Prints what happens and where to look; stops on Ctrl-C and leaves its data in --dir."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", defaultValue = "campus-edge-demo", paramLabel = "DIR",
            description = "Folder for the demo's configuration, journal and data center (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Agent HTTP port; a free one is taken if it is busy (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--datacenter-port", defaultValue = "8090", paramLabel = "PORT",
            description = "Data center HTTP port; a free one is taken if it is busy (default: ${DEFAULT-VALUE}).")
    int dataCenterPort;

    @Option(names = "--in-process", description = "Use in-process reader links even when socat is installed.")
    boolean inProcess;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop by itself after this many seconds (0: run until Ctrl-C).")
    long durationSeconds;

    @Override
    public Integer call() throws Exception {
        Demo demo = Demo.start(dir, httpPort, dataCenterPort, inProcess, System.out);
        UntilStopped.run(demo, Duration.ofSeconds(Math.max(0, durationSeconds)),
                System.lineSeparator() + "demo stopped; its data is in " + demo.dir());
        return 0;
    }
}
