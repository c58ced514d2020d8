package org.campusedge.agent.cli;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.service.SystemdService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code campus-edge agent --config FILE}: the daemon. Runs until SIGTERM / Ctrl-C. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the edge agent: readers, access decisions, journal, uplink, HTTP API.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Agent configuration (YAML); see deploy-scripts/config/agent.example.yaml.")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg = AgentConfigLoader.load(config);
        Agent agent = Agent.start(cfg, AgentOptions.defaults());
        System.out.printf("campus-edge agent %s running; HTTP API on %s%n", cfg.deviceId(), agent.httpAddresses());
        UntilStopped.run(SystemdService.supervise(agent), Duration.ZERO, null);
        return 0;
    }
}
