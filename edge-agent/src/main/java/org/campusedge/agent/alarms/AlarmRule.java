package org.campusedge.agent.alarms;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One alarm rule from the {@code alarms:} section.
 *
 * @param id         stable rule id, part of every alarm id it raises
 * @param kind       what it watches
 * @param rooms      room ids it applies to; empty with {@code roomTypes} empty means every room
 * @param roomTypes  room type wire names it applies to
 * @param sensors    sensor ids it applies to; empty means every sensor of the metric
 * @param metric     metric wire name watched (threshold, unattended, door-held-open)
 * @param above      raise while the value is above this
 * @param below      raise while the value is below this
 * @param hysteresis how far back past the limit the value must come before the alarm clears
 * @param holdFor    how long the condition must hold before the alarm is raised
 * @param silentAfter for {@link Kind#SILENT}: no reading for this long (or the sensor reported offline)
 * @param severity   how urgent
 * @param message    what operators read
 */
public record AlarmRule(String id, Kind kind, Set<String> rooms, Set<String> roomTypes, Set<String> sensors,
                        String metric, Optional<Double> above, Optional<Double> below, double hysteresis,
                        Duration holdFor, Duration silentAfter, Severity severity, String message) {

    public AlarmRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        rooms = Set.copyOf(rooms);
        roomTypes = Set.copyOf(roomTypes);
        sensors = Set.copyOf(sensors);
        if (above.isPresent() == below.isPresent() && kind != Kind.SILENT) {
            throw new IllegalArgumentException("rule " + id + ": exactly one of above and below");
        }
        if (hysteresis < 0) {
            throw new IllegalArgumentException("rule " + id + ": hysteresis must not be negative");
        }
    }

    /** What a rule watches. */
    public enum Kind {
        /** A metric above or below a limit. */
        THRESHOLD,
        /** A machine drawing power while nobody is badged into the room. */
        UNATTENDED,
        /** A sensor that stopped sending, or whose availability topic says offline. */
        SILENT,
        /** A door contact open for too long. */
        DOOR_HELD_OPEN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How urgent an alarm is. */
    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the rule covers a room. */
    public boolean appliesTo(String roomId, String roomType) {
        if (rooms.isEmpty() && roomTypes.isEmpty()) {
            return true;
        }
        return rooms.contains(roomId) || roomTypes.contains(roomType);
    }

    /** Whether the rule covers a sensor. */
    public boolean watches(String sensor) {
        return sensors.isEmpty() || sensors.contains(sensor);
    }

    /** Whether {@code value} is past the limit (the raise condition). */
    public boolean breached(double value) {
        return above.isPresent() ? value > above.get() : value < below.get();
    }

    /** Whether {@code value} is back inside the limit by the hysteresis (the clear condition). */
    public boolean recovered(double value) {
        return above.isPresent() ? value <= above.get() - hysteresis : value >= below.get() + hysteresis;
    }

    /** The limit, for the alarm record. */
    public double limit() {
        return above.isPresent() ? above.get() : below.orElse(Double.NaN);
    }
}
