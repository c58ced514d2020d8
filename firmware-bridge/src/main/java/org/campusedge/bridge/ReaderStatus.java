package org.campusedge.bridge;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in a reader's link state. Emitted once per transition, never repeated while the
 * state holds.
 *
 * @param readerId the configured reader id
 * @param state    the new state
 * @param detail   operator-readable cause, e.g. "port /dev/ttyUSB0 vanished: Input/output error"
 * @param at       when the transition was observed
 */
public record ReaderStatus(String readerId, State state, String detail, Instant at) {

    /** Link state of a reader. */
    public enum State {
        ONLINE("online"),
        OFFLINE("offline");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        /** The name used in journal records and JSON. */
        public String wireName() {
            return wireName;
        }
    }

    public ReaderStatus {
        Objects.requireNonNull(readerId, "readerId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
