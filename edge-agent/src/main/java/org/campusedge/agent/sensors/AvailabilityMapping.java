package org.campusedge.agent.sensors;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A topic on which a device says whether it is reachable: a Tasmota last will
 * ({@code tele/<device>/LWT}: Online/Offline), a Zigbee2MQTT availability topic
 * ({@code online}/{@code offline}, or {@code {"state":"online"}} since Zigbee2MQTT 1.x's JSON
 * availability), or a Homie 4 {@code $state} ({@code ready} is online; {@code init},
 * {@code disconnected}, {@code sleeping}, {@code lost} and {@code alert} are not).
 *
 * @param filter topic filter
 * @param room   room id or template ({@code {1}} is the first captured level)
 * @param sensor sensor id or template
 */
public record AvailabilityMapping(TopicFilter filter, String room, String sensor) {

    private static final Set<String> ONLINE = Set.of("online", "ready", "true", "1");

    public AvailabilityMapping {
        Objects.requireNonNull(filter, "filter");
        SensorMapping.checkTemplate(room, filter, "room");
        SensorMapping.checkTemplate(sensor, filter, "sensor");
    }

    public static AvailabilityMapping of(String filter, String room, String sensor) {
        return new AvailabilityMapping(TopicFilter.of(filter), room, sensor);
    }

    /**
     * Whether a state word means reachable. Anything but an affirmative word counts as offline:
     * a device that is initialising, asleep or alerting cannot be trusted for fresh readings.
     */
    static boolean online(String state) {
        return ONLINE.contains(state.trim().toLowerCase(Locale.ROOT));
    }
}
