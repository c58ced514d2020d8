package org.campusedge.agent.journal;

/**
 * Journal streams. Each has its own gap-free sequence numbering and its own acknowledged mark at
 * the data center; the uplink drains them in declaration order, so the priority stream goes first.
 */
public enum EventStream {
    /** Taps, decisions, alarms, device status: small, urgent, never dropped. */
    PRIORITY("priority"),
    /** Per-minute sensor aggregates (min/max/avg/count): compact, sent before raw readings. */
    AGGREGATES("aggregates"),
    /** Sensor readings and aggregates: bulky, may be summarised. */
    READINGS("readings");

    private final String wireName;

    EventStream(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventStream fromWireName(String name) {
        for (EventStream s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stream \"" + name + "\"");
    }
}
