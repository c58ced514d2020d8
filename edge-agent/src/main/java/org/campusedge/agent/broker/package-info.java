/**
 * An embedded MQTT 3.1.1 broker for school boxes that run none:
 * {@link org.campusedge.agent.broker.EmbeddedBroker#start(org.campusedge.agent.broker.EmbeddedBrokerConfig)}
 * gives a running broker with {@code port()}, {@code boundAddresses()}, {@code stats()} and
 * {@code close()}. Netty's MQTT codec frames the packets; {@code ClientConnection} speaks the
 * protocol for one client, {@code BrokerCore} keeps sessions, retained messages and the
 * {@code SubscriptionTrie}, all on one event loop. The Netty-free parts ({@code SubscriptionTrie},
 * {@link org.campusedge.agent.auth.PasswordHash}, {@link org.campusedge.agent.broker.EmbeddedBrokerConfig})
 * are unit tested with nothing but values.
 */
package org.campusedge.agent.broker;
