package org.campusedge.agent.broker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link EmbeddedBrokerStats}. Written by the broker's event loop (and
 * its authentication thread), read by any thread.
 */
final class BrokerCounters {

    final AtomicLong connectionsOpen = new AtomicLong();
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder keepAliveTimeouts = new LongAdder();
    final LongAdder takeovers = new LongAdder();
    volatile int retainedMessages;
    volatile int sessions;
    volatile int subscriptions;
    private final Map<ConnectionRefusal, LongAdder> refused = adders(ConnectionRefusal.class);
    private final Map<DropReason, LongAdder> dropped = adders(DropReason.class);
    private final Map<ProtocolError, LongAdder> protocolErrors = adders(ProtocolError.class);

    void refused(ConnectionRefusal reason) {
        refused.get(reason).increment();
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void protocolError(ProtocolError reason) {
        protocolErrors.get(reason).increment();
    }

    EmbeddedBrokerStats snapshot() {
        return new EmbeddedBrokerStats((int) connectionsOpen.get(), connectionsAccepted.sum(), sums(refused),
                messagesIn.sum(), messagesOut.sum(), retainedMessages, sessions, subscriptions, sums(dropped),
                sums(protocolErrors), keepAliveTimeouts.sum(), takeovers.sum());
    }

    private static <E extends Enum<E>> Map<E, LongAdder> adders(Class<E> type) {
        Map<E, LongAdder> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, new LongAdder());
        }
        return m;
    }

    private static <E extends Enum<E>> Map<E, Long> sums(Map<E, LongAdder> adders) {
        Map<E, Long> out = new EnumMap<>(adders.keySet().iterator().next().getDeclaringClass());
        adders.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
