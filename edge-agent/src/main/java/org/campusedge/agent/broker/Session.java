package org.campusedge.agent.broker;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One client's session state (OASIS MQTT 3.1.1, section 3.1.2.4): its subscriptions, QoS 1/2
 * messages sent and not yet acknowledged, messages waiting to be sent (bounded), and the QoS 2
 * packet ids received and not yet released. With CleanSession=0 it outlives the connection.
 *
 * <p>Not thread-safe: owned by the broker's event loop.
 */
final class Session {

    /** A QoS 1/2 message sent to the client and not yet completely acknowledged. */
    static final class Inflight {
        final BrokerMessage message;
        final int qos;
        /** QoS 2: PUBREC received and PUBREL sent; waiting for PUBCOMP (section 4.3.3). */
        boolean released;

        Inflight(BrokerMessage message, int qos) {
            this.message = message;
            this.qos = qos;
        }
    }

    /** A message waiting for room (client offline, slow, or too many in flight), with the QoS to send it at. */
    record Queued(BrokerMessage message, int qos) {
    }

    final String clientId;
    final boolean cleanSession;
    /** Filter text to granted QoS, in subscription order. */
    final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    /** Packet id to message, in send order (resent in that order on reconnect, section 4.4). */
    final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
    final ArrayDeque<Queued> pending = new ArrayDeque<>();
    /** QoS 2 packet ids received from the client whose PUBREL has not come yet (section 4.3.3, method B). */
    final Set<Integer> inboundQos2 = new HashSet<>();
    ClientConnection connection;
    private int lastPacketId;

    Session(String clientId, boolean cleanSession) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
    }

    /**
     * The next packet id not in use by an unacknowledged message (section 2.3.1: non-zero, 16 bits,
     * unique among this session's packets in flight). The caller keeps the in-flight count below 65535.
     */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
