package org.campusedge.sync.downlink;

import java.util.List;

/**
 * A room's access timetable as the downlink carries it (the key is the room id): rules, each
 * letting the cards of its groups in during its window,
 * {@code {"rules":[{"groups":["media-club"],"days":["mon-fri"],"from":"15:30","to":"17:30"}]}}.
 */
public record ScheduleSpec(List<WindowSpec> rules) {

    public ScheduleSpec {
        rules = rules == null ? List.of() : List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).groups().isEmpty()) {
                throw new IllegalArgumentException("rules[" + i + "].groups is required: the groups this rule lets in");
            }
        }
    }
}
