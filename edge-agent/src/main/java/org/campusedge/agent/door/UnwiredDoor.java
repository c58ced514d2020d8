package org.campusedge.agent.door;

import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;

import java.util.concurrent.atomic.LongAdder;

/**
 * The door of a reader with no relay or LED wired to the box (configuration names no pins):
 * the decision is journaled and shown in the API, and nothing is switched. Counts what it was
 * asked to show so the health report can tell such doors apart.
 */
public final class UnwiredDoor implements FeedbackSink {

    private final LongAdder grants = new LongAdder();
    private final LongAdder denials = new LongAdder();

    @Override
    public void apply(Feedback feedback) {
        (feedback.granted() ? grants : denials).increment();
    }

    public long grants() {
        return grants.sum();
    }

    public long denials() {
        return denials.sum();
    }

    @Override
    public void close() {
        // Nothing was opened.
    }
}
