package org.campusedge.sync.downlink;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a downlink item is; the wire name is stable. Each item is keyed within its kind: a card
 * by its normalised card id, a room and its schedule by room id, a holiday and an alarm rule by
 * their own ids.
 */
public enum DownlinkKind {
    /** A card's permission, value {@link CardGrant}. */
    CARD("card"),
    /** A room's capacity, anti-passback and open hours, value {@link RoomSpec}. */
    ROOM("room"),
    /** A room's timetable of group rules, value {@link ScheduleSpec}. */
    SCHEDULE("schedule"),
    /** A school holiday, value {@link HolidaySpec}. */
    HOLIDAY("holiday"),
    /** An alarm rule: a JSON object with the keys of the agent's {@code alarms:} entries. */
    ALARM_RULE("alarm-rule");

    private final String wireName;

    DownlinkKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name. */
    public static Optional<DownlinkKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    /** Every wire name, for error messages. */
    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(DownlinkKind::wireName).toList());
    }
}
