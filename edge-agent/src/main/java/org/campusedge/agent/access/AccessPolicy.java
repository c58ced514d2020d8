package org.campusedge.agent.access;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The school's access rules, from the {@code access:} section of the agent configuration. A room
 * without a {@link RoomPolicy} is decided from the allow-list alone, any time, as before policies
 * existed.
 *
 * @param rooms                the policy of each room that has one, by room id
 * @param holidays             the school holiday calendar
 * @param lockdownExemptGroups groups whose cards are still decided normally in a lockdown
 */
public record AccessPolicy(Map<String, RoomPolicy> rooms, HolidayCalendar holidays, Set<String> lockdownExemptGroups) {

    private static final AccessPolicy NONE = new AccessPolicy(Map.of(), HolidayCalendar.none(), Set.of());

    public AccessPolicy {
        rooms = Map.copyOf(rooms);
        Objects.requireNonNull(holidays, "holidays");
        lockdownExemptGroups = Set.copyOf(lockdownExemptGroups);
    }

    /** No room policies, no holidays, nobody exempt from a lockdown. */
    public static AccessPolicy none() {
        return NONE;
    }

    public Optional<RoomPolicy> room(String id) {
        return Optional.ofNullable(rooms.get(id));
    }
}
