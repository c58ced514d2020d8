package org.campusedge.agent.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an account or a token may do. Each role includes the ones below it: a viewer sees every
 * page and reads the API; a manager also changes the access mode (emergency unlock, lockdown)
 * and acknowledges alarms; an admin may do everything a manager may (and what later needs more).
 */
public enum Role {
    VIEWER("viewer", 1),
    MANAGER("manager", 2),
    ADMIN("admin", 3);

    private final String wireName;
    private final int rank;

    Role(String wireName, int rank) {
        this.wireName = wireName;
        this.rank = rank;
    }

    /** The name in the users file, the configuration and the API. */
    public String wireName() {
        return wireName;
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return rank >= needed.rank;
    }

    public static Optional<Role> ofWireName(String s) {
        String lower = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wireName.equals(lower)).findFirst();
    }

    /** "viewer, manager, admin", for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }
}
