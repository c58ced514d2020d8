package org.campusedge.agent.downlink;

import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.downlink.DownlinkKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the box holds of its downlink at one version: every live item by scope, kind and key.
 * Immutable; {@link #apply} makes the next state from a delta without touching this one.
 */
public final class DownlinkItems {

    private static final DownlinkItems EMPTY = new DownlinkItems(0, Map.of());

    private final long version;
    private final Map<String, DownlinkChange> items;

    private DownlinkItems(long version, Map<String, DownlinkChange> items) {
        this.version = version;
        this.items = Map.copyOf(items);
    }

    public static DownlinkItems empty() {
        return EMPTY;
    }

    /** The items as stored, at {@code version}. */
    public static DownlinkItems of(long version, Collection<DownlinkChange> items) {
        Map<String, DownlinkChange> m = new HashMap<>();
        items.forEach(c -> m.put(id(c), c));
        return new DownlinkItems(version, m);
    }

    /** The state after {@code delta}: a snapshot replaces everything, a delta puts and removes. */
    public DownlinkItems apply(DownlinkDelta delta) {
        Map<String, DownlinkChange> next = delta.snapshot() ? new HashMap<>() : new HashMap<>(items);
        for (DownlinkChange c : delta.changes()) {
            if (c.removed()) {
                next.remove(id(c));
            } else {
                next.put(id(c), c);
            }
        }
        return new DownlinkItems(delta.version(), next);
    }

    public long version() {
        return version;
    }

    public int size() {
        return items.size();
    }

    public Collection<DownlinkChange> all() {
        return items.values();
    }

    /**
     * The items of one kind in force, by key: where the school's and the device's scope hold the
     * same key, the device's.
     */
    public Map<String, DownlinkChange> effective(DownlinkKind kind) {
        Map<String, DownlinkChange> out = new HashMap<>();
        for (DownlinkChange c : items.values()) {
            if (!c.kind().equals(kind.wireName())) {
                continue;
            }
            DownlinkChange held = out.get(c.key());
            if (held == null || c.scope().startsWith("device:")) {
                out.put(c.key(), c);
            }
        }
        return out;
    }

    /** Counts by kind, for logs. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (DownlinkKind k : DownlinkKind.values()) {
            int n = effective(k).size();
            if (n > 0) {
                parts.add(n + " " + k.wireName());
            }
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    private static String id(DownlinkChange c) {
        return c.scope() + "\u0000" + c.kind() + "\u0000" + c.key();
    }
}
