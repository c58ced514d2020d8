package org.campusedge.agent.service;

import org.campusedge.agent.Agent;

import java.time.Duration;
import java.util.Optional;

/**
 * A started agent under systemd: tells systemd it is ready, keeps its watchdog fed while the
 * agent is alive ({@link AgentLiveness}), and on close says STOPPING before closing the agent.
 * Outside systemd it only closes the agent.
 */
public final class SystemdService implements AutoCloseable {

    /** Each liveness check's own time limit: well under the unit's WatchdogSec=30s divided by 3. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final Agent agent;
    private final SystemdNotifier notifier;
    private final Optional<ServiceWatchdog> watchdog;

    private SystemdService(Agent agent, SystemdNotifier notifier, Optional<ServiceWatchdog> watchdog) {
        this.agent = agent;
        this.notifier = notifier;
        this.watchdog = watchdog;
    }

    /** Reports the started agent ready to systemd (when it runs under systemd) and starts the watchdog. */
    public static SystemdService supervise(Agent agent) {
        return supervise(agent, SystemdNotifier.fromEnvironment());
    }

    static SystemdService supervise(Agent agent, SystemdNotifier notifier) {
        Optional<ServiceWatchdog> watchdog = ServiceWatchdog.start(notifier, AgentLiveness.of(agent, PROBE_TIMEOUT));
        notifier.ready("running; HTTP API on port " + agent.httpPort());
        return new SystemdService(agent, notifier, watchdog);
    }

    @Override
    public void close() {
        notifier.stopping();
        watchdog.ifPresent(ServiceWatchdog::close);
        try {
            agent.close();
        } finally {
            notifier.close();
        }
    }
}
