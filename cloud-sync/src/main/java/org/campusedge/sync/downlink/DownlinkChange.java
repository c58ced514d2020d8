package org.campusedge.sync.downlink;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One item as the box receives it: its scope ({@code school:NAME} or {@code device:ID}), kind
 * (a {@link DownlinkKind} wire name), key, the version that last changed it, and its value, or
 * {@code null} when it was removed at that version.
 */
public record DownlinkChange(String scope, String kind, String key, long version, JsonNode value) {

    public DownlinkChange {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    public boolean removed() {
        return value == null || value.isNull();
    }
}
