package org.campusedge.sync.center;

import org.campusedge.sync.wire.PayloadRoom;
import org.campusedge.sync.wire.WireEvent;

/**
 * The room an event names, for the stores' room column: now {@link WireEvent#room()}, which the
 * batch decoder fills while it checks the payload. This parse of the payload text is left for
 * callers not yet moved to {@code e.room()}; stateless and thread-safe.
 */
final class RoomField {

    private RoomField() {
    }

    /** The payload's top-level {@code room} string, or null if it has none (or is not an object); see {@link PayloadRoom}. */
    static String of(String payloadJson) {
        return PayloadRoom.of(payloadJson);
    }
}
