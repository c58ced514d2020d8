package org.campusedge.bridge;

import java.time.Instant;
import java.util.Objects;

/**
 * A condition a reader reports about itself, raised or cleared: its case opened (tamper) or its
 * power failing. Emitted once per change.
 *
 * @param readerId the configured reader id
 * @param kind     what the reader reports
 * @param active   whether the condition now holds
 * @param at       when the change was seen
 */
public record ReaderAlert(String readerId, Kind kind, boolean active, Instant at) {

    /** Conditions a reader can report, with the names used in events. */
    public enum Kind {
        TAMPER("tamper"),
        POWER_FAILURE("power_failure");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ReaderAlert {
        Objects.requireNonNull(readerId, "readerId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
