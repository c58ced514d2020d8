package org.campusedge.sync.downlink;

import java.util.List;
import java.util.Objects;

/**
 * Whose a downlink item is: every box of a school ({@code school:NAME}) or one box
 * ({@code device:ID}). A box receives both; where both hold the same kind and key, the
 * device's item wins.
 */
public record DownlinkScope(String type, String id) {

    public static final String SCHOOL = "school";
    public static final String DEVICE = "device";

    public DownlinkScope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!type.equals(SCHOOL) && !type.equals(DEVICE)) {
            throw new IllegalArgumentException("scope type must be school or device, got \"" + type + "\"");
        }
        if (id.isBlank() || id.length() > 128 || id.contains("\n")) {
            throw new IllegalArgumentException("a " + type + " scope needs a name of 1-128 characters on one line, got \"" + id + "\"");
        }
    }

    public static DownlinkScope school(String name) {
        return new DownlinkScope(SCHOOL, name);
    }

    public static DownlinkScope device(String id) {
        return new DownlinkScope(DEVICE, id);
    }

    /** Parses {@code school:NAME} or {@code device:ID}. */
    public static DownlinkScope parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a scope is school:NAME or device:ID, got \"" + text + "\"");
        }
        return new DownlinkScope(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The scopes a box of {@code school} with id {@code deviceId} receives, school first. */
    public static List<DownlinkScope> ofBox(String school, String deviceId) {
        return List.of(school(school), device(deviceId));
    }

    /** Whether this is a device's own scope, which overrides its school's. */
    public boolean isDevice() {
        return type.equals(DEVICE);
    }

    /** {@code school:NAME} or {@code device:ID}, as stored and sent. */
    public String text() {
        return type + ":" + id;
    }

    @Override
    public String toString() {
        return text();
    }
}
