package org.campusedge.agent.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomView.ActiveAlarm;
import org.campusedge.agent.rooms.RoomView.MetricState;
import org.campusedge.agent.rooms.RoomView.SensorLive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Evaluates the alarm rules against the room state and journals {@code alarm.raised} and
 * {@code alarm.cleared} events (priority stream, so they reach the city first).
 *
 * <p>A condition must hold for the rule's {@code for} duration before the alarm is raised; it
 * clears once the value is back inside the limit by the rule's hysteresis. The active set is
 * taken over from the room state at start (it is rebuilt from the journal), so a restart never
 * raises an alarm twice; a condition that was pending when the agent stopped starts its
 * {@code for} period again.
 *
 * <p>Not thread-safe: owned by the live-rooms thread, which calls {@link #adopt} once and then
 * {@link #evaluate} on every change and every second.
 */
public final class AlarmEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmEngine.class);

    private List<AlarmRule> rules;
    private final Map<String, AlarmRule> rulesById = new HashMap<>();
    private final Clock clock;
    private final Consumer<JournalEntry> sink;
    private final Map<String, Instant> pending = new HashMap<>();
    private final Map<String, String> active = new HashMap<>();
    private final LongAdder raised = new LongAdder();
    private final LongAdder cleared = new LongAdder();

    /** Body of an {@code alarm.raised} event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RaisedPayload(String alarm, String rule, String kind, String severity, String room, String sensor,
                                String metric, Double value, Double threshold, String message, Instant conditionSince) {
    }

    /** Body of an {@code alarm.cleared} event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClearedPayload(String alarm, String rule, String room, String sensor, Double value, String reason) {
    }

    /**
     * @param sink where raise and clear events go (the journal's append)
     */
    public AlarmEngine(List<AlarmRule> rules, Clock clock, Consumer<JournalEntry> sink) {
        this.rules = List.copyOf(rules);
        this.rules.forEach(r -> rulesById.put(r.id(), r));
        this.clock = clock;
        this.sink = sink;
    }

    /**
     * Takes over the alarms active in the rebuilt room state. An alarm whose rule is no longer
     * configured is cleared with reason {@code rule_removed}.
     */
    public void adopt(List<RoomView> rooms) {
        for (RoomView room : rooms) {
            for (ActiveAlarm a : room.alarms()) {
                if (rulesById.containsKey(a.rule())) {
                    active.put(a.id(), room.id());
                } else {
                    emitClear(a.id(), a.rule(), room.id(), a.sensor(), null, "rule_removed");
                }
            }
        }
    }

    /**
     * Puts {@code next} in force (rules sent by the data center's downlink). An active alarm whose
     * rule is gone is cleared with reason {@code rule_removed}, one whose rule changed with
     * {@code rule_changed} (it is raised again if the new rule's condition holds); conditions
     * pending under the old rules start over.
     */
    public void replaceRules(List<AlarmRule> next) {
        Map<String, AlarmRule> byId = new HashMap<>();
        next.forEach(r -> byId.put(r.id(), r));
        for (String id : List.copyOf(active.keySet())) {
            // Alarm ids are rule:room:sensor, and rule ids hold no ':'.
            String[] parts = id.split(":", 3);
            AlarmRule now = byId.get(parts[0]);
            if (now == null || !now.equals(rulesById.get(parts[0]))) {
                emitClear(id, parts[0], active.get(id), parts.length > 2 ? parts[2] : null, null,
                        now == null ? "rule_removed" : "rule_changed");
            }
        }
        pending.clear();
        rules = List.copyOf(next);
        rulesById.clear();
        rulesById.putAll(byId);
    }

    /** One pass over every rule and room. */
    public void evaluate(List<RoomView> rooms) {
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (RoomView room : rooms) {
            for (AlarmRule rule : rules) {
                if (!rule.appliesTo(room.id(), room.type())) {
                    continue;
                }
                switch (rule.kind()) {
                    case SILENT -> silent(rule, room, now, seen);
                    default -> metric(rule, room, now, seen);
                }
            }
        }
        pending.keySet().retainAll(seen);
    }

    private void metric(AlarmRule rule, RoomView room, Instant now, Set<String> seen) {
        boolean empty = room.occupancy().count() == 0;
        for (MetricState m : room.metrics()) {
            if (!m.metric().equals(rule.metric()) || !rule.watches(m.sensor())) {
                continue;
            }
            String id = rule.id() + ":" + room.id() + ":" + m.sensor();
            seen.add(id);
            boolean condition = rule.breached(m.value());
            boolean recovered = rule.recovered(m.value());
            if (rule.kind() == AlarmRule.Kind.UNATTENDED) {
                condition = condition && empty;
                recovered = recovered || !empty;
            }
            step(rule, room, id, m.sensor(), m.metric(), m.value(), condition, recovered, now);
        }
    }

    private void silent(AlarmRule rule, RoomView room, Instant now, Set<String> seen) {
        for (SensorLive s : room.sensors()) {
            if (!rule.watches(s.id())) {
                continue;
            }
            String id = rule.id() + ":" + room.id() + ":" + s.id();
            seen.add(id);
            boolean offline = Boolean.FALSE.equals(s.online());
            boolean quiet = s.lastSeen() != null && Duration.between(s.lastSeen(), now).compareTo(rule.silentAfter()) >= 0;
            boolean condition = offline || quiet;
            step(rule, room, id, s.id(), null, null, condition, !condition, now);
        }
    }

    private void step(AlarmRule rule, RoomView room, String id, String sensor, String metric, Double value,
                      boolean condition, boolean recovered, Instant now) {
        if (active.containsKey(id)) {
            if (recovered) {
                emitClear(id, rule.id(), room.id(), sensor, value, "condition_ended");
            }
            return;
        }
        if (!condition) {
            pending.remove(id);
            return;
        }
        Instant since = pending.computeIfAbsent(id, k -> now);
        if (Duration.between(since, now).compareTo(rule.holdFor()) >= 0) {
            pending.remove(id);
            active.put(id, room.id());
            raised.increment();
            Double threshold = rule.kind() == AlarmRule.Kind.SILENT ? null : rule.limit();
            LOG.warn("alarm raised: {} in room {} ({}{})", rule.id(), room.id(), rule.message(),
                    value == null ? "" : ", value " + value);
            emit(EventType.ALARM_RAISED, room.id(), new RaisedPayload(id, rule.id(), rule.kind().wireName(),
                    rule.severity().wireName(), room.id(), sensor, metric, value, threshold, rule.message(), since), now);
        }
    }

    private void emitClear(String id, String rule, String room, String sensor, Double value, String reason) {
        active.remove(id);
        cleared.increment();
        LOG.info("alarm cleared: {} in room {} ({})", rule, room, reason);
        emit(EventType.ALARM_CLEARED, room, new ClearedPayload(id, rule, room, sensor, value, reason), clock.instant());
    }

    private void emit(EventType type, String room, Object payload, Instant at) {
        sink.accept(new JournalEntry(type, at, Optional.of(room), EventJson.write(payload)));
    }

    /** Alarm ids this engine has raised and not cleared. */
    public Set<String> active() {
        return Set.copyOf(active.keySet());
    }

    public long raisedCount() {
        return raised.sum();
    }

    public long clearedCount() {
        return cleared.sum();
    }
}
