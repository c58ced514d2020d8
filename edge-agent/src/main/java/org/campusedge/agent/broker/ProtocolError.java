package org.campusedge.agent.broker;

/** Why the broker closed a connection for breaking the protocol; each is counted in {@link EmbeddedBrokerStats}. */
public enum ProtocolError {
    /** Bytes that are not an MQTT packet (section 1.2 / 2 structure, reserved types or flags, bad lengths). */
    MALFORMED,
    /** A packet larger than the configured maximum. */
    PACKET_TOO_LARGE,
    /** The first packet was not CONNECT (section 3.1.0-1). */
    FIRST_PACKET_NOT_CONNECT,
    /** A second CONNECT on one connection (section 3.1.0-2). */
    SECOND_CONNECT,
    /** A PUBLISH topic that is empty or holds wildcards (section 3.3.2.1), or a bad will topic. */
    INVALID_TOPIC,
    /** Any other rule broken: a packet type a server never receives, empty SUBSCRIBE, password without user name. */
    VIOLATION
}
