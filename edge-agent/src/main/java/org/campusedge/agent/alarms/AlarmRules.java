package org.campusedge.agent.alarms;

import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.sensors.Metric;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the {@code alarms:} section: a list of rules, each checked against the configured rooms
 * and known metrics, every error naming its key. Documented in
 * {@code deploy-scripts/config/agent.example.yaml}.
 */
public final class AlarmRules {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration MAX_HOLD = Duration.ofDays(1);

    private AlarmRules() {
    }

    public static List<AlarmRule> read(List<ConfigNode> nodes, Set<String> roomIds) throws ConfigException {
        List<AlarmRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigNode n : nodes) {
            AlarmRule rule = rule(n, roomIds);
            if (!ids.add(rule.id())) {
                throw n.error("id", "duplicate alarm rule id \"" + rule.id() + "\"");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private static AlarmRule rule(ConfigNode n, Set<String> roomIds) throws ConfigException {
        String id = n.requiredString("id");
        if (!ID.matcher(id).matches()) {
            throw n.error("id", "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
        AlarmRule.Kind kind = n.enumValue("kind", AlarmRule.Kind.class, AlarmRule.Kind.THRESHOLD);
        Set<String> rooms = new LinkedHashSet<>(n.stringList("rooms", List.of()));
        for (String r : rooms) {
            if (!roomIds.contains(r)) {
                throw n.error("rooms", "unknown room \"" + r + "\"; configured rooms: " + String.join(", ", roomIds));
            }
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : n.stringList("room-types", List.of())) {
            String wanted = t.trim().toLowerCase(java.util.Locale.ROOT);
            if (Arrays.stream(RoomType.values()).noneMatch(rt -> rt.wireName().equals(wanted))) {
                throw n.error("room-types", "unknown room type \"" + t + "\"; one of "
                        + Arrays.stream(RoomType.values()).map(RoomType::wireName).collect(Collectors.joining(", ")));
            }
            types.add(wanted);
        }
        Set<String> sensors = new LinkedHashSet<>(n.stringList("sensors", List.of()));
        String defaultMetric = switch (kind) {
            case UNATTENDED -> Metric.POWER.wireName();
            case DOOR_HELD_OPEN -> Metric.DOOR.wireName();
            default -> null;
        };
        String metric = null;
        if (kind != AlarmRule.Kind.SILENT) {
            String m = defaultMetric == null ? n.requiredString("metric") : n.string("metric", defaultMetric);
            metric = Metric.fromWireName(m).orElseThrow(() -> n.error("metric", "unknown metric \"" + m + "\"; one of "
                    + Arrays.stream(Metric.values()).map(Metric::wireName).collect(Collectors.joining(", ")))).wireName();
        }
        Optional<Double> above = n.decimal("above");
        Optional<Double> below = n.decimal("below");
        switch (kind) {
            case THRESHOLD -> {
                if (above.isPresent() == below.isPresent()) {
                    throw n.error("above", "give exactly one of above or below");
                }
            }
            case UNATTENDED -> {
                if (below.isPresent()) {
                    throw n.error("below", "an unattended rule watches power above a limit; use above");
                }
                above = Optional.of(above.orElse(5.0));
            }
            case DOOR_HELD_OPEN -> {
                if (above.isPresent() || below.isPresent()) {
                    throw n.error("above", "a door-held-open rule needs no limit: it watches the door contact open");
                }
                above = Optional.of(0.5);
            }
            case SILENT -> {
                if (above.isPresent() || below.isPresent()) {
                    throw n.error("above", "a silent rule has no limit; use after: 5m");
                }
            }
        }
        double hysteresis = n.decimal("hysteresis").orElse(0.0);
        if (hysteresis < 0) {
            throw n.error("hysteresis", "must not be negative");
        }
        Duration holdFor = n.duration("for", kind == AlarmRule.Kind.DOOR_HELD_OPEN ? Duration.ofMinutes(1) : Duration.ZERO,
                Duration.ZERO, MAX_HOLD);
        Duration after = kind == AlarmRule.Kind.SILENT
                ? n.duration("after", Duration.ofMinutes(5), Duration.ofSeconds(10), MAX_HOLD) : Duration.ZERO;
        AlarmRule.Severity severity = n.enumValue("severity", AlarmRule.Severity.class, AlarmRule.Severity.WARNING);
        String message = n.string("message", defaultMessage(kind, metric, above, below));
        return new AlarmRule(id, kind, rooms, types, sensors, metric, above, below, hysteresis, holdFor, after,
                severity, message);
    }

    private static String defaultMessage(AlarmRule.Kind kind, String metric, Optional<Double> above, Optional<Double> below) {
        return switch (kind) {
            case THRESHOLD -> metric + (above.isPresent() ? " above " + above.get() : " below " + below.orElse(0.0));
            case UNATTENDED -> "equipment on with nobody badged in";
            case SILENT -> "sensor silent or offline";
            case DOOR_HELD_OPEN -> "door held open";
        };
    }
}
