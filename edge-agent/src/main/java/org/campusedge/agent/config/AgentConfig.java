package org.campusedge.agent.config;

import org.campusedge.agent.access.AccessPolicy;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration of one agent. Built only by {@link AgentConfigLoader}.
 *
 * @param deviceId this box's id at the data center
 * @param school   the school's name
 * @param zone     the school's time zone (schedules, daily close)
 * @param sensors  MQTT sensor ingest, when {@code mqtt} or {@code sensors} is configured
 * @param access   the access policy: room timetables, holidays, anti-passback, lockdown exemptions
 * @param occupancy how live room state is kept (daily close, equipment standby, snapshots)
 * @param alarms   alarm rules
 * @param broker   the agent's own MQTT broker, when a {@code broker:} section is configured
 * @param privacy  pseudonymisation of card numbers (and person ids) in what is sent to the city
 */
public record AgentConfig(String deviceId, String school, ZoneId zone, List<RoomConfig> rooms,
                          List<ReaderConfig> readers, GpioConfig gpio, StorageConfig storage, SyncConfig sync,
                          HttpConfig http, Optional<org.campusedge.agent.sensors.MqttSensorConfig> sensors,
                          AccessPolicy access, OccupancyConfig occupancy,
                          List<org.campusedge.agent.alarms.AlarmRule> alarms,
                          Optional<org.campusedge.agent.broker.EmbeddedBrokerConfig> broker,
                          Optional<org.campusedge.agent.privacy.CardPseudonymiser> privacy) {

    public AgentConfig {
        rooms = List.copyOf(rooms);
        alarms = List.copyOf(alarms);
        java.util.Objects.requireNonNull(broker, "broker");
        java.util.Objects.requireNonNull(privacy, "privacy");
        readers = List.copyOf(readers);
        java.util.Objects.requireNonNull(access, "access");
    }

    /** A configuration without an access policy or alarm rules, with default occupancy settings. */
    public AgentConfig(String deviceId, String school, ZoneId zone, List<RoomConfig> rooms,
                       List<ReaderConfig> readers, GpioConfig gpio, StorageConfig storage, SyncConfig sync,
                       HttpConfig http, Optional<org.campusedge.agent.sensors.MqttSensorConfig> sensors) {
        this(deviceId, school, zone, rooms, readers, gpio, storage, sync, http, sensors, AccessPolicy.none(),
                OccupancyConfig.DEFAULTS, List.of(), Optional.empty(), Optional.empty());
    }

    public Optional<RoomConfig> room(String id) {
        return rooms.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public Optional<ReaderConfig> reader(String id) {
        return readers.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
