package org.campusedge.agent.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The access policy of one room: its timetable of group rules, the hours explicit allow-list
 * grants work in, anti-passback and capacity. Immutable; the rules are indexed by group so a
 * decision looks only at the windows of the card's own groups.
 */
public final class RoomPolicy {

    private final String room;
    private final List<AccessRule> rules;
    private final List<TimeWindow> openHours;
    private final boolean antiPassback;
    private final int capacity;
    private final Map<String, List<TimeWindow>> windowsByGroup;

    /**
     * @param room         the room id
     * @param rules        group rules; a card in any group of a rule may enter in the rule's window
     * @param openHours    when cards naming this room on the allow-list may enter; empty: any time
     * @param antiPassback whether a card already inside is refused another entry
     * @param capacity     most people inside at once; 0 for no limit
     */
    public RoomPolicy(String room, List<AccessRule> rules, List<TimeWindow> openHours, boolean antiPassback, int capacity) {
        this.room = Objects.requireNonNull(room, "room");
        this.rules = List.copyOf(rules);
        this.openHours = List.copyOf(openHours);
        this.antiPassback = antiPassback;
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        this.capacity = capacity;
        Map<String, List<TimeWindow>> index = new HashMap<>();
        for (AccessRule r : rules) {
            for (String g : r.groups()) {
                index.computeIfAbsent(g, k -> new ArrayList<>()).add(r.window());
            }
        }
        Map<String, List<TimeWindow>> frozen = new HashMap<>();
        index.forEach((g, ws) -> frozen.put(g, List.copyOf(ws)));
        this.windowsByGroup = Map.copyOf(frozen);
    }

    /** The windows of every rule naming {@code group}; empty when none does. */
    public List<TimeWindow> windows(String group) {
        return windowsByGroup.getOrDefault(group, List.of());
    }

    public String room() {
        return room;
    }

    public List<AccessRule> rules() {
        return rules;
    }

    public List<TimeWindow> openHours() {
        return openHours;
    }

    public boolean antiPassback() {
        return antiPassback;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "RoomPolicy[" + room + ", " + rules.size() + " rules, open-hours " + (openHours.isEmpty() ? "any time"
                : openHours) + ", anti-passback " + antiPassback + ", capacity " + (capacity == 0 ? "unlimited" : capacity) + "]";
    }
}
