package org.campusedge.sync.downlink;

import java.util.List;

/**
 * A room's settings as the downlink carries them (the key is the room id):
 * {@code {"capacity":12,"antiPassback":true,"openHours":[{"days":["mon-fri"],"from":"08:00","to":"18:00"}]}}.
 * A missing capacity keeps the box's configured one; 0 is unlimited.
 */
public record RoomSpec(Integer capacity, Boolean antiPassback, List<WindowSpec> openHours) {

    public RoomSpec {
        if (capacity != null && (capacity < 0 || capacity > 100_000)) {
            throw new IllegalArgumentException("capacity must be 0 (unlimited) to 100000, got " + capacity);
        }
        antiPassback = antiPassback != null && antiPassback;
        openHours = openHours == null ? List.of() : List.copyOf(openHours);
        for (WindowSpec w : openHours) {
            if (!w.groups().isEmpty()) {
                throw new IllegalArgumentException("openHours: a room's open hours name no groups (group rules go in its schedule)");
            }
        }
    }
}
