package org.campusedge.agent.sensors;

import java.util.Locale;
import java.util.Optional;

/**
 * What a sensor measures, with its wire name (as written in configuration and sent on), its
 * unit, and the physical range outside which a value is a sensor fault rather than a reading.
 * Binary metrics carry 0 or 1.
 */
public enum Metric {
    TEMPERATURE("temperature", "°C", -40, 125, false),
    HUMIDITY("humidity", "%", 0, 100, false),
    CO2("co2", "ppm", 0, 10_000, false),
    POWER("power", "W", 0, 100_000, false),
    ENERGY("energy", "kWh", 0, 1e9, false),
    ON_AIR("on-air", "on", 0, 1, true),
    DOOR("door", "open", 0, 1, true),
    OCCUPANCY("occupancy", "occupied", 0, 1, true),
    ILLUMINANCE("illuminance", "lx", 0, 200_000, false),
    NOISE("noise", "dB", 0, 150, false);

    private final String wireName;
    private final String unit;
    private final double min;
    private final double max;
    private final boolean binary;

    Metric(String wireName, String unit, double min, double max, boolean binary) {
        this.wireName = wireName;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.binary = binary;
    }

    public String wireName() {
        return wireName;
    }

    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** True for 0/1 metrics (on-air lamp, door contact, occupancy). */
    public boolean binary() {
        return binary;
    }

    /** True if {@code value} is physically possible; a binary metric accepts exactly 0 or 1. */
    public boolean inRange(double value) {
        if (binary) {
            return value == 0 || value == 1;
        }
        return value >= min && value <= max;
    }

    /** The metric with this wire name, matched case-insensitively. */
    public static Optional<Metric> fromWireName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.wireName.equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
