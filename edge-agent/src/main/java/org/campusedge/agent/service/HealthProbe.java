package org.campusedge.agent.service;

import java.util.List;

/**
 * Whether the process is alive enough to deserve a watchdog keep-alive: its own threads answer.
 * A degraded school (a reader unplugged, the uplink down) is healthy here; a restart would not
 * fix those. A hung journal writer or HTTP event loop is not.
 */
@FunctionalInterface
public interface HealthProbe {

    /** What is wrong right now; empty when healthy. Must return within its own timeouts. */
    List<String> problems();
}
