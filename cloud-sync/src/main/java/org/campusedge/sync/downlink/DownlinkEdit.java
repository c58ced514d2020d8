package org.campusedge.sync.downlink;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One change a manager asks for: put {@code value} under ({@code kind}, {@code key}), or remove
 * the item when {@code value} is null. Build with {@link DownlinkValues#put} so the value is
 * validated for its kind.
 */
public record DownlinkEdit(DownlinkKind kind, String key, JsonNode value) {

    public DownlinkEdit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (key.isBlank() || key.length() > 128) {
            throw new IllegalArgumentException("a " + kind.wireName() + " key must be 1-128 characters, got \"" + key + "\"");
        }
    }

    /** Removes the item. */
    public static DownlinkEdit remove(DownlinkKind kind, String key) {
        return new DownlinkEdit(kind, key, null);
    }

    public boolean removes() {
        return value == null;
    }
}
