package org.campusedge.agent.broker;

import java.util.Map;

/**
 * Counters of an {@link EmbeddedBroker} since start, for {@code /metrics}.
 *
 * @param connectionsOpen     sockets open now (connected or still in CONNECT)
 * @param connectionsAccepted CONNECTs answered with CONNACK 0x00
 * @param refused             connections refused, by reason
 * @param messagesIn          PUBLISH packets received from clients (duplicates of a QoS 2 id not counted), wills included
 * @param messagesOut         PUBLISH packets written to clients (retransmissions included)
 * @param retainedMessages    retained messages held now
 * @param sessions            sessions held now, connected or not
 * @param subscriptions       (client, filter) subscriptions held now
 * @param dropped             messages not delivered to a subscriber, by reason
 * @param protocolErrors      connections closed for breaking the protocol, by reason
 * @param keepAliveTimeouts   connections closed because the client was silent for 1.5 × its keep-alive
 * @param takeovers           connections closed because a new one came with the same client id
 */
public record EmbeddedBrokerStats(int connectionsOpen, long connectionsAccepted, Map<ConnectionRefusal, Long> refused,
                                  long messagesIn, long messagesOut, int retainedMessages, int sessions,
                                  int subscriptions, Map<DropReason, Long> dropped,
                                  Map<ProtocolError, Long> protocolErrors, long keepAliveTimeouts, long takeovers) {

    public EmbeddedBrokerStats {
        refused = Map.copyOf(refused);
        dropped = Map.copyOf(dropped);
        protocolErrors = Map.copyOf(protocolErrors);
    }

    /** All drops, whatever the reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** All protocol errors, whatever the reason. */
    public long protocolErrorsTotal() {
        return protocolErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    public long protocolErrors(ProtocolError reason) {
        return protocolErrors.getOrDefault(reason, 0L);
    }

    public long refused(ConnectionRefusal reason) {
        return refused.getOrDefault(reason, 0L);
    }
}
