package org.campusedge.bridge;

/**
 * Something that can show {@link Feedback} at a door: GPIO relay and LED, or a reader's own
 * LED and buzzer. {@link #apply} must return at once; timed parts (a relay pulse) run on the
 * sink's own scheduler.
 */
public interface FeedbackSink extends AutoCloseable {

    void apply(Feedback feedback);

    @Override
    void close();
}
