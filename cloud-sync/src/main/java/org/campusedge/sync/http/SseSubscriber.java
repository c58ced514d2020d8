package org.campusedge.sync.http;

/** What an {@link SseHub} needs from one open stream; {@link SseSession} is the real one. */
interface SseSubscriber {

    /** The subscription's filter; called under the hub's lock, so it must be quick. */
    boolean wants(SseEvent event);

    /** Queues an event for the client; never blocks. Called under the hub's lock, in sequence order. */
    void offer(SseQueue.Encoded event);

    /** Ends the stream cleanly (the hub is closing); returns at once. */
    void end();

    /** Asks the subscription's lease again, soon, and ends the stream if it has run out; returns at once. */
    void recheckLease();
}
