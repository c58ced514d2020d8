package org.campusedge.agent.journal;

/** The journal could not open, migrate, write or read its SQLite file. */
public final class JournalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason { OPEN_FAILED, MIGRATION_FAILED, WRITE_FAILED, READ_FAILED, CLOSED }

    private final Reason reason;

    public JournalException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public JournalException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
