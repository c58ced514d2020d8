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
