package org.campusedge.agent.journal;

/** Kinds of journaled events, each bound to the stream it travels in. */
public enum EventType {
    /** A card was presented and decided: card, reader, room, door, decision, reason. */
    ACCESS_DECISION("access.decision", EventStream.PRIORITY),
    /** A reader's link went online or offline. */
    READER_STATUS("reader.status", EventStream.PRIORITY),
    /** A reader reported tamper or power failure raised or cleared. */
    READER_ALERT("reader.alert", EventStream.PRIORITY),
    /** A sensor value from MQTT: room, sensor, metric, value, unit. */
    SENSOR_READING("sensor.reading", EventStream.READINGS),
    /** A sensor went online or offline (LWT, availability topics). */
    SENSOR_AVAILABILITY("sensor.availability", EventStream.PRIORITY),
    /** One minute of one sensor metric summarised: room, sensor, metric, minute, min, max, avg, count. */
    SENSOR_AGGREGATE("sensor.aggregate", EventStream.AGGREGATES),
    /** An alarm rule's condition held long enough: rule, room, severity, value, message. */
    ALARM_RAISED("alarm.raised", EventStream.PRIORITY),
    /** An active alarm's condition ended (or an operator cleared it). */
    ALARM_CLEARED("alarm.cleared", EventStream.PRIORITY),
    /** A manager acknowledged an active alarm: alarm, room, rule, raisedAt, by, note. */
    ALARM_ACKNOWLEDGED("alarm.acknowledged", EventStream.PRIORITY),
    /** Occupancy of a room was reset (daily close of forgotten tap-outs, or by an operator). */
    ROOM_OCCUPANCY_RESET("room.occupancy_reset", EventStream.PRIORITY),
    /** The school's access mode changed: normal, emergency unlock-all, lockdown. */
    ACCESS_MODE("access.mode", EventStream.PRIORITY),
    /** The agent started or stopped. */
    AGENT_LIFECYCLE("agent.lifecycle", EventStream.PRIORITY);

    private final String wireName;
    private final EventStream stream;

    EventType(String wireName, EventStream stream) {
        this.wireName = wireName;
        this.stream = stream;
    }

    public String wireName() {
        return wireName;
    }

    public EventStream stream() {
        return stream;
    }
}
