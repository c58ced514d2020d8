package org.campusedge.agent.access;

import java.util.Locale;
import java.util.Optional;

/** The school-wide access mode. The wire name is journaled in {@code access.mode} events. */
public enum AccessMode {
    /** The policy decides. */
    NORMAL,
    /** Every door grants every tap, known card or not (fire, evacuation). */
    EMERGENCY_UNLOCK,
    /** Every entry is denied except for the lockdown-exempt groups; exits are still granted. */
    LOCKDOWN;

    /** {@code normal}, {@code emergency_unlock}, {@code lockdown}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode with this wire name ({@code '-'} accepted for {@code '_'}), if any. */
    public static Optional<AccessMode> ofWireName(String wire) {
        String wanted = wire.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (AccessMode m : values()) {
            if (m.name().equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
