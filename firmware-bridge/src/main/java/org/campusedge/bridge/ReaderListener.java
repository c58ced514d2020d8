package org.campusedge.bridge;

/**
 * Receives what a reader sees. Called on the reader's own thread: implementations must be
 * quick and must not block (hand work to another thread if it can wait).
 */
public interface ReaderListener {

    /** A card was presented (already de-duplicated for readers that repeat while a tag is held). */
    void onCardRead(CardRead read);

    /** The reader's link went online or offline. */
    void onStatus(ReaderStatus status);

    /** The reader reported a tamper or power condition raised or cleared (readers that can tell). */
    default void onAlert(ReaderAlert alert) {
    }
}
