package org.campusedge.agent.rooms;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Room state as of given stream marks: loading it and applying every event after the marks
 * gives the same state as replaying the whole journal.
 *
 * @param format    layout version; a snapshot of another format is ignored and the journal replayed
 * @param marks     last applied sequence number per stream wire name
 * @param mode      access mode at that point
 * @param modeSince when it last changed
 * @param rooms     every room
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomsSnapshot(int format, Map<String, Long> marks, String mode, Instant modeSince, List<RoomView> rooms) {

    public static final int FORMAT = 1;

    public RoomsSnapshot {
        marks = Map.copyOf(marks);
        rooms = List.copyOf(rooms);
    }
}
