package org.campusedge.agent.broker;

/** Why the broker did not deliver a message to a subscriber; each is counted in {@link EmbeddedBrokerStats}. */
public enum DropReason {
    /** A QoS 0 message for a client whose outbound buffer is full (a slow consumer). */
    SLOW_CONSUMER,
    /** The oldest QoS 1/2 message queued for a slow or offline client, pushed out by a newer one. */
    QUEUE_FULL,
    /** A QoS 0 message for a persistent session whose client is offline (QoS 0 is never queued). */
    OFFLINE_QOS0,
    /** A retained message for a new topic when {@value BrokerCore#MAX_RETAINED} topics are retained already (still delivered, not kept). */
    RETAINED_LIMIT
}
