package org.campusedge.agent.rooms;

import org.campusedge.agent.rooms.RoomView.Minute;

import java.util.List;

/**
 * The short trend of a metric from its per-minute history: the latest minute's average against
 * the first minute's in the window. A change of more than 2 % of the earlier value (at least 0.1
 * of a unit) is rising or falling; less is steady. Needs two minutes at least two minutes apart.
 */
final class Trend {

    static final double RELATIVE = 0.02;
    static final double ABSOLUTE = 0.1;

    private Trend() {
    }

    /** {@code rising}, {@code falling}, {@code steady}, or null while there is too little history. */
    static String of(List<Minute> minutes) {
        if (minutes.size() < 2) {
            return null;
        }
        Minute first = minutes.get(0);
        Minute last = minutes.get(minutes.size() - 1);
        if (last.minute().getEpochSecond() - first.minute().getEpochSecond() < 120) {
            return null;
        }
        double before = first.avg();
        double delta = last.avg() - before;
        double tolerance = Math.max(Math.abs(before) * RELATIVE, ABSOLUTE);
        if (delta > tolerance) {
            return "rising";
        }
        if (delta < -tolerance) {
            return "falling";
        }
        return "steady";
    }
}
