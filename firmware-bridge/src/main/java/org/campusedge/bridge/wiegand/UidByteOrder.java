package org.campusedge.bridge.wiegand;

/**
 * How a reader that sends a card's serial number (UID) over Wiegand orders its bytes. Many
 * 13.56 MHz readers send the UID least significant byte first, so the number they send is the
 * UID printed by a desktop NFC reader with its bytes reversed; {@link #REVERSED} undoes that.
 */
public enum UidByteOrder {
    /** The UID is the bytes as sent, first byte first. */
    AS_SENT("as-sent"),
    /** The UID is the sent bytes in reverse order. */
    REVERSED("reversed");

    private final String configName;

    UidByteOrder(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files. */
    public String configName() {
        return configName;
    }

    /** The order named {@code name} in configuration. */
    public static UidByteOrder ofConfigName(String name) {
        for (UidByteOrder o : values()) {
            if (o.configName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown UID byte order '" + name + "', expected as-sent or reversed");
    }
}
