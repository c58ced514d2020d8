package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code campus-edge datacenter --config FILE}: the city data center service. */
@Command(name = "datacenter", mixinStandardHelpOptions = true,
        description = "Run the city data center: receives every school's events exactly once.")
final class DatacenterCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Data center configuration (YAML); see deploy-scripts/config/datacenter.example.yaml.")
    Path config;

    @Override
    public Integer call() throws Exception {
        DataCenter center = new DataCenter(DataCenterConfig.load(config));
        center.start();
        System.out.printf("campus-edge datacenter listening on %s%n", center.boundAddresses());
        UntilStopped.run(center, Duration.ZERO, null);
        return 0;
    }
}
