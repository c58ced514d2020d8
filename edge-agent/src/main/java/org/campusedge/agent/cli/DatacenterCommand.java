package org.campusedge.agent.cli;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            center.close();
            stopped.countDown();
        }, "datacenter-shutdown"));
        System.out.printf("campus-edge datacenter listening on port %d%n", center.port());
        stopped.await();
        return 0;
    }
}
