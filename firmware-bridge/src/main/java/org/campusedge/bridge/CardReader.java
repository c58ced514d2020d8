package org.campusedge.bridge;

/**
 * A card reader driver: owns its transport and its reading thread, and reports to one
 * {@link ReaderListener}. {@link #close()} stops the thread and releases the port.
 */
public interface CardReader extends AutoCloseable {

    /** The configured reader id. */
    String id();

    /** Starts reading in the background; returns at once. */
    void start();

    /** A snapshot of this reader's counters. */
    ReaderCounters counters();

    /** Stops the reader thread and releases the transport. Idempotent. */
    @Override
    void close();
}
