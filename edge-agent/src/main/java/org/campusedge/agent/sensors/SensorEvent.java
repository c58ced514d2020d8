package org.campusedge.agent.sensors;

import java.time.Instant;

/** What the sensor ingest hands on: a reading, or a sensor going online or offline. */
public sealed interface SensorEvent permits SensorEvent.Reading, SensorEvent.Availability {

    String room();

    String sensor();

    String topic();

    Instant receivedAt();

    /** One measured value, already scaled and range-checked, in {@code unit}. */
    record Reading(String room, String sensor, Metric metric, double value, String unit, String topic,
                   Instant receivedAt) implements SensorEvent {
    }

    /** A device's last will, availability or Homie {@code $state} said it is (not) reachable. */
    record Availability(String room, String sensor, boolean online, String state, String topic,
                        Instant receivedAt) implements SensorEvent {
    }
}
