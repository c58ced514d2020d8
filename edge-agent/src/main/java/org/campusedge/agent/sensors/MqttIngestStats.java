package org.campusedge.agent.sensors;

import java.util.Map;

/**
 * Counters of an {@link MqttIngest}, since start.
 *
 * @param received      messages that arrived from the broker
 * @param readings      readings handed to the sink
 * @param availability  availability events handed to the sink
 * @param rejected      messages or fields rejected, by reason
 * @param dropped       messages dropped because the ingest queue was full
 * @param reconnects    successful connects after the first
 * @param sinkFailures  events the sink threw on
 * @param connected     whether the client is connected now
 */
public record MqttIngestStats(long received, long readings, long availability, Map<RejectReason, Long> rejected,
                              long dropped, long reconnects, long sinkFailures, boolean connected) {
    public MqttIngestStats {
        rejected = Map.copyOf(rejected);
    }
}
