package org.campusedge.agent.broker;

/**
 * An application message as the broker keeps it: detached from any Netty buffer, so it can sit
 * in queues, in the retained store and in several sessions at once without reference counting.
 * The payload array is never modified after construction.
 *
 * @param topic   the topic name (no wildcards)
 * @param payload the bytes, possibly empty
 * @param qos     the QoS it was published with, 0..2
 * @param retain  the RETAIN flag as published
 */
record BrokerMessage(String topic, byte[] payload, int qos, boolean retain) {
}
