package org.campusedge.agent.config;

import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;

/**
 * One special room of the school.
 *
 * @param id       stable id used in events and URLs, e.g. {@code studio-1}
 * @param name     display name
 * @param type     kind of room
 * @param capacity how many people may be inside at once; 0 for no limit. Enforced at the door only
 *                 in rooms with an access policy
 * @param closeAt  local time at which forgotten tap-outs are cleared; empty: the {@code occupancy} default
 */
public record RoomConfig(String id, String name, RoomType type, int capacity, Optional<LocalTime> closeAt) {

    public RoomConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(closeAt, "closeAt");
    }

    public RoomConfig(String id, String name, RoomType type, int capacity) {
        this(id, name, type, capacity, Optional.empty());
    }
}
