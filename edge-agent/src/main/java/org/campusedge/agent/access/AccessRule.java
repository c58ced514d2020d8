package org.campusedge.agent.access;

import java.util.Objects;
import java.util.Set;

/**
 * One line of a room's timetable: cards in any of {@code groups} may enter during {@code window}.
 *
 * @param groups normalised group names; not empty
 * @param window when the rule applies
 */
public record AccessRule(Set<String> groups, TimeWindow window) {
    public AccessRule {
        groups = Set.copyOf(groups);
        Objects.requireNonNull(window, "window");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a rule names at least one group");
        }
    }
}
