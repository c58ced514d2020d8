package org.campusedge.agent.sensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Device families whose topics and payloads are known, expanded to mappings so a school writes
 * one line per device instead of one per field. Every field mapping of a preset is optional: a
 * Tasmota plug publishes {@code ENERGY} but no {@code AM2301}, and that is not an error.
 */
public enum SensorPreset {
    /** Tasmota firmware: {@code tele/<device>/SENSOR} JSON and the {@code tele/<device>/LWT} last will. */
    TASMOTA,
    /** Zigbee2MQTT: {@code zigbee2mqtt/<name>} JSON state and {@code zigbee2mqtt/<name>/availability}. */
    ZIGBEE2MQTT,
    /** Homie 4: {@code homie/<device>/<node>/<property>} plain values and {@code homie/<device>/$state}. */
    HOMIE,
    /** Any device publishing a flat JSON object keyed by metric wire names, e.g. {"temperature":21.5}. */
    JSON;

    /** The mappings for one device; {@code device} may be {@code +} to take every device of the family. */
    public Expansion expand(String device, String room, String sensor) {
        return expand(device, room, sensor, Optional.empty());
    }

    /**
     * As {@link #expand(String, String, String)}; {@code topic} overrides the preset's topic filter
     * (required for {@link #JSON}, which has no conventional topic).
     */
    public Expansion expand(String device, String room, String sensor, Optional<String> topic) {
        List<SensorMapping> readings = new ArrayList<>();
        List<AvailabilityMapping> availability = new ArrayList<>();
        switch (this) {
            case TASMOTA -> {
                String t = topic.orElse("tele/" + device + "/SENSOR");
                // Field names from the Tasmota sensor drivers (ENERGY, AM2301, SHT3X, BME280, SCD30).
                add(readings, t, room, sensor, Metric.POWER, "ENERGY.Power");
                add(readings, t, room, sensor, Metric.ENERGY, "ENERGY.Total");
                for (String probe : List.of("AM2301", "DHT11", "SHT3X", "BME280", "SI7021", "DS18B20")) {
                    add(readings, t, room, sensor, Metric.TEMPERATURE, probe + ".Temperature");
                    add(readings, t, room, sensor, Metric.HUMIDITY, probe + ".Humidity");
                }
                add(readings, t, room, sensor, Metric.CO2, "SCD30.CarbonDioxide");
                add(readings, t, room, sensor, Metric.CO2, "MHZ19B.CarbonDioxide");
                add(readings, t, room, sensor, Metric.ILLUMINANCE, "BH1750.Illuminance");
                availability.add(AvailabilityMapping.of(lwt(t), room, sensor));
            }
            case ZIGBEE2MQTT -> {
                String t = topic.orElse("zigbee2mqtt/" + device);
                for (Metric m : List.of(Metric.TEMPERATURE, Metric.HUMIDITY, Metric.CO2, Metric.POWER,
                        Metric.ENERGY, Metric.OCCUPANCY, Metric.ILLUMINANCE)) {
                    add(readings, t, room, sensor, m, m.wireName());
                }
                // Zigbee2MQTT before 2.0 published illuminance in lux as illuminance_lux.
                add(readings, t, room, sensor, Metric.ILLUMINANCE, "illuminance_lux");
                // "contact: Indicates if the contact is closed (= true) or open (= false)" (zigbee2mqtt.io).
                readings.add(new SensorMapping(TopicFilter.of(t), room, sensor, Metric.DOOR, Metric.DOOR.unit(),
                        Optional.of("contact"), 1.0, true, true));
                availability.add(AvailabilityMapping.of(t + "/availability", room, sensor));
            }
            case HOMIE -> {
                String base = topic.orElse("homie/" + device);
                for (Metric m : Metric.values()) {
                    readings.add(new SensorMapping(TopicFilter.of(base + "/+/" + m.wireName()), room, sensor, m,
                            m.unit(), Optional.empty(), 1.0, false, true));
                }
                availability.add(AvailabilityMapping.of(base + "/$state", room, sensor));
            }
            case JSON -> {
                String t = topic.orElseThrow(() -> new IllegalArgumentException("the json preset needs a topic"));
                for (Metric m : Metric.values()) {
                    add(readings, t, room, sensor, m, m.wireName());
                }
            }
        }
        return new Expansion(List.copyOf(readings), List.copyOf(availability));
    }

    /** What a preset expands to. */
    public record Expansion(List<SensorMapping> readings, List<AvailabilityMapping> availability) {
    }

    private static void add(List<SensorMapping> out, String topic, String room, String sensor, Metric metric, String path) {
        out.add(new SensorMapping(TopicFilter.of(topic), room, sensor, metric, metric.unit(), Optional.of(path), 1.0,
                false, true));
    }

    /** tele/%topic%/SENSOR → tele/%topic%/LWT: Tasmota's last will sits beside its telemetry. */
    private static String lwt(String sensorTopic) {
        int slash = sensorTopic.lastIndexOf('/');
        return (slash < 0 ? sensorTopic : sensorTopic.substring(0, slash)) + "/LWT";
    }
}
