package org.campusedge.sync.center;

/** The event store failed (disk, database, schema). The data center answers 500 and the box retries. */
public final class EventStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
