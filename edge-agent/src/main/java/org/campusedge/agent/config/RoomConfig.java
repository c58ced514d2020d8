package org.campusedge.agent.config;

/**
 * One special room of the school.
 *
 * @param id       stable id used in events and URLs, e.g. {@code studio-1}
 * @param name     display name
 * @param type     kind of room
 * @param capacity how many people may be inside at once; 0 for no limit. Enforced at the door only
 *                 in rooms with an access policy
 */
public record RoomConfig(String id, String name, RoomType type, int capacity) {
}
