package org.campusedge.agent.broker;

import org.campusedge.agent.sensors.TopicFilter;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The broker's shared state and routing: sessions by client id, the subscription trie and the
 * retained messages. Decides who gets a message, at which QoS, now or later, or not at all
 * (counted).
 *
 * <p>Not thread-safe: owned by the broker's single event loop, on which every connection lives,
 * so no state here is ever touched by two threads and nothing is locked.
 */
final class BrokerCore {

    /** QoS 1/2 messages sent to one client and not yet acknowledged before the rest wait in its queue. */
    static final int MAX_INFLIGHT = 64;
    /** Retained topics kept at most; a new one past this is delivered but not kept, and counted. */
    static final int MAX_RETAINED = 10_000;
    /** Section 3.9.3: the SUBACK return code for a refused subscription. */
    static final int SUBACK_FAILURE = 0x80;

    private final BrokerCounters counters;
    private final int maxQueuedMessages;
    private final Map<String, Session> sessions = new HashMap<>();
    private final SubscriptionTrie trie = new SubscriptionTrie();
    private final Map<String, BrokerMessage> retained = new LinkedHashMap<>();
    private final ArrayDeque<ClientConnection> dirty = new ArrayDeque<>();
    private boolean stopping;

    BrokerCore(BrokerCounters counters, int maxQueuedMessages) {
        this.counters = counters;
        this.maxQueuedMessages = maxQueuedMessages;
    }

    /** A session and whether it was resumed (the CONNACK "session present" flag, section 3.2.2.2). */
    record Attached(Session session, boolean present) {
    }

    /**
     * Attaches {@code connection} to the session of {@code clientId}. A client already connected
     * with that id is disconnected first (section 3.1.4-2). CleanSession=1 discards any previous
     * session (section 3.1.2.4); CleanSession=0 resumes it or starts one that outlives the connection.
     */
    Attached attach(ClientConnection connection, String clientId, boolean cleanSession) {
        Session existing = sessions.get(clientId);
        if (existing != null && existing.connection != null) {
            ClientConnection old = existing.connection;
            existing.connection = null;
            counters.takeovers.increment();
            old.takenOver();
        }
        boolean present = existing != null && !cleanSession;
        Session session;
        if (present) {
            session = existing;
        } else {
            if (existing != null) {
                discard(existing);
            }
            session = new Session(clientId, cleanSession);
            sessions.put(clientId, session);
        }
        session.connection = connection;
        updateGauges();
        return new Attached(session, present);
    }

    /** A unique id for a client that sent an empty one with CleanSession=1 (section 3.1.3-6). */
    String assignClientId() {
        String id;
        do {
            id = "auto-" + UUID.randomUUID();
        } while (sessions.containsKey(id));
        return id;
    }

    /**
     * After CONNACK on a resumed session: resend what was in flight (PUBLISH with DUP set, or
     * PUBREL; section 4.4) in the original order, then what was queued.
     */
    void resume(Session session) {
        ClientConnection c = session.connection;
        for (Map.Entry<Integer, Session.Inflight> e : session.inflight.entrySet()) {
            Session.Inflight f = e.getValue();
            if (f.released) {
                c.sendPubrel(e.getKey());
            } else {
                c.sendPublish(e.getKey(), f.message, f.qos, true);
                counters.messagesOut.increment();
            }
        }
        drain(session);
    }

    /** The connection ended; a clean session ends with it, a persistent one waits for its client. */
    void detach(ClientConnection connection, Session session) {
        if (session.connection != connection) {
            return; // taken over: the session already belongs to the new connection
        }
        session.connection = null;
        if (session.cleanSession) {
            discard(session);
        }
        updateGauges();
    }

    /** Routes a message published by a client (or a will) and keeps or clears it as retained. */
    void publish(BrokerMessage message) {
        counters.messagesIn.increment();
        if (message.retain()) {
            if (message.payload().length == 0) {
                // Section 3.3.1.3: a retained message with an empty payload removes the retained message.
                retained.remove(message.topic());
            } else if (retained.size() < MAX_RETAINED || retained.containsKey(message.topic())) {
                // Section 3.3.1-5: store it, replacing any retained message of the topic.
                retained.put(message.topic(), message);
            } else {
                counters.dropped(DropReason.RETAINED_LIMIT);
            }
            counters.retainedMessages = retained.size();
        }
        for (Map.Entry<String, Integer> match : trie.match(message.topic()).entrySet()) {
            Session s = sessions.get(match.getKey());
            // Section 3.8.4: deliver at the lower of the published and the granted QoS; section
            // 3.3.1-9: RETAIN is 0 when sending to an established subscription.
            deliver(s, message, Math.min(message.qos(), match.getValue()), false);
        }
    }

    /**
     * Subscribes a session; a filter that {@link TopicFilter} rejects gets 0x80 (section 3.9.3).
     * The caller sends SUBACK, then {@link #sendRetained}.
     *
     * @return the SUBACK return codes, in request order
     */
    int[] subscribe(Session session, List<String> filters, List<Integer> requestedQos) {
        int[] granted = new int[filters.size()];
        for (int i = 0; i < filters.size(); i++) {
            TopicFilter filter;
            try {
                filter = TopicFilter.of(filters.get(i));
            } catch (IllegalArgumentException e) {
                granted[i] = SUBACK_FAILURE;
                continue;
            }
            int qos = requestedQos.get(i);
            trie.subscribe(filter, session.clientId, qos);
            session.subscriptions.put(filter.filter(), qos);
            granted[i] = qos;
        }
        updateGauges();
        return granted;
    }

    /**
     * Sends the retained messages matching each newly granted filter, with RETAIN set
     * (sections 3.3.1-6 and 3.8.4-3).
     */
    void sendRetained(Session session, List<String> filters, int[] granted) {
        for (int i = 0; i < filters.size(); i++) {
            if (granted[i] == SUBACK_FAILURE) {
                continue;
            }
            TopicFilter filter = TopicFilter.of(filters.get(i));
            for (BrokerMessage m : retained.values()) {
                if (filter.matches(m.topic())) {
                    deliver(session, m, Math.min(m.qos(), granted[i]), true);
                }
            }
        }
    }

    void unsubscribe(Session session, List<String> filters) {
        for (String f : filters) {
            if (session.subscriptions.remove(f) != null) {
                trie.unsubscribe(TopicFilter.of(f), session.clientId);
            }
        }
        updateGauges();
    }

    /** PUBACK for a QoS 1 message we sent (section 4.3.2). */
    void acknowledged(Session session, int packetId) {
        Session.Inflight f = session.inflight.get(packetId);
        if (f != null && f.qos == 1) {
            session.inflight.remove(packetId);
            drain(session);
        }
    }

    /** PUBREC for a QoS 2 message we sent: answer PUBREL (section 4.3.3). */
    void received(Session session, int packetId) {
        Session.Inflight f = session.inflight.get(packetId);
        if (f != null && f.qos == 2) {
            f.released = true;
        }
        // Answer even an unknown id, so a client that lost our state can finish its flow.
        session.connection.sendPubrel(packetId);
    }

    /** PUBCOMP for a QoS 2 message we sent: the flow is complete. */
    void completed(Session session, int packetId) {
        Session.Inflight f = session.inflight.get(packetId);
        if (f != null && f.released) {
            session.inflight.remove(packetId);
            drain(session);
        }
    }

    /** Sends queued QoS 1/2 messages while the client is connected, writable and has room in flight. */
    void drain(Session session) {
        ClientConnection c = session.connection;
        while (c != null && c.writable() && !session.pending.isEmpty() && session.inflight.size() < MAX_INFLIGHT) {
            Session.Queued q = session.pending.poll();
            int id = session.nextPacketId();
            session.inflight.put(id, new Session.Inflight(q.message(), q.qos()));
            c.sendPublish(id, q.message(), q.qos(), false);
            counters.messagesOut.increment();
        }
    }

    private void deliver(Session session, BrokerMessage message, int qos, boolean retainFlag) {
        ClientConnection c = session.connection;
        // The message as this client receives it: its RETAIN flag says why it is sent, not how it was published.
        BrokerMessage out = message.retain() == retainFlag ? message
                : new BrokerMessage(message.topic(), message.payload(), message.qos(), retainFlag);
        if (qos == 0) {
            if (c == null) {
                counters.dropped(DropReason.OFFLINE_QOS0);
            } else if (!c.writable()) {
                counters.dropped(DropReason.SLOW_CONSUMER);
            } else {
                c.sendPublish(0, out, 0, false);
                counters.messagesOut.increment();
            }
            return;
        }
        if (session.pending.size() >= maxQueuedMessages) {
            session.pending.poll();
            counters.dropped(DropReason.QUEUE_FULL);
        }
        session.pending.add(new Session.Queued(out, qos));
        drain(session);
    }

    /** The broker is shutting down: connections closing now are not abnormal ends, so no wills go out. */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** Marks a connection as having unflushed writes; {@link #flushAll()} flushes it. */
    void markDirty(ClientConnection connection) {
        dirty.add(connection);
    }

    /** Flushes every connection written to since the last call (one syscall per client per batch, not per message). */
    void flushAll() {
        ClientConnection c;
        while ((c = dirty.poll()) != null) {
            c.flush();
        }
    }

    private void discard(Session session) {
        for (String f : session.subscriptions.keySet()) {
            trie.unsubscribe(TopicFilter.of(f), session.clientId);
        }
        sessions.remove(session.clientId);
    }

    private void updateGauges() {
        counters.sessions = sessions.size();
        counters.subscriptions = trie.size();
    }
}
