package org.campusedge.agent.broker;

/** Why the broker refused a connection; each is counted in {@link EmbeddedBrokerStats}. */
public enum ConnectionRefusal {
    /** The configured maximum number of connections is open; the socket is closed at once. */
    MAX_CONNECTIONS,
    /** CONNACK 0x01: protocol level not supported (section 3.2.2.3). */
    UNSUPPORTED_PROTOCOL,
    /** CONNACK 0x02: client identifier not allowed, e.g. empty with CleanSession=0 (section 3.1.3.1). */
    IDENTIFIER_REJECTED,
    /** CONNACK 0x03: the broker cannot check credentials now (its authentication queue is full). */
    SERVER_UNAVAILABLE,
    /** CONNACK 0x04: unknown user name or wrong password. */
    BAD_CREDENTIALS,
    /** CONNACK 0x05: users are configured and the client sent no user name. */
    NOT_AUTHORIZED,
    /** No CONNECT arrived in time after the socket opened. */
    CONNECT_TIMEOUT
}
