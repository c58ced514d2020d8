package org.campusedge.agent.config;

import java.util.Locale;

/** The kinds of special rooms a school has; the wire name is used in config, JSON and the city reports. */
public enum RoomType {
    RECORDING_STUDIO,
    ROBOTICS_LAB,
    MAKER_SPACE,
    STEAM_ROOM,
    CAMPUS_TV,
    OTHER;

    /** The name used in YAML and JSON, e.g. {@code recording-studio}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
