package org.campusedge.agent.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.Micros;
import org.campusedge.agent.rooms.RoomView.Acknowledgement;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alarms as they happened, from the journal: each raise, with its clear and its acknowledgement
 * folded in, newest first.
 *
 * <p>The alarm events of the window are read newest first through the partial time or room index
 * (readings are in neither; the query carries that condition literally), at most
 * {@value #MAX_EVENTS} of them, and folded oldest first: a clear ends, and an acknowledgement
 * (matched by the raise time it names) marks, the latest raise of the same alarm id. A clear or
 * acknowledgement whose raise is older than the window is left out. Thread-safe (reads only).
 */
public final class AlarmHistory {

    /** Most alarm events read for one answer: bounds the work however long the window. */
    public static final int MAX_EVENTS = 5_000;

    /**
     * One raise of an alarm and what became of it.
     *
     * @param clearedAt    when it cleared; null while active
     * @param clearReason  why it cleared ({@code condition_ended}, {@code rule_removed}, ...)
     * @param acknowledged who acknowledged it, if anyone did
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String alarm, String room, String rule, String kind, String severity, String sensor, String metric,
                        Double value, Double threshold, String message, Instant raisedAt, Instant clearedAt,
                        String clearReason, Acknowledgement acknowledged) {

        public boolean active() {
            return clearedAt == null;
        }

        Entry cleared(Instant at, String reason) {
            return new Entry(alarm, room, rule, kind, severity, sensor, metric, value, threshold, message, raisedAt, at, reason,
                    acknowledged);
        }

        Entry acknowledge(Acknowledgement ack) {
            return new Entry(alarm, room, rule, kind, severity, sensor, metric, value, threshold, message, raisedAt, clearedAt,
                    clearReason, ack);
        }
    }

    /**
     * @param alarms    newest raise first
     * @param truncated true if the window held more than {@value #MAX_EVENTS} alarm events, so older raises are missing
     */
    public record Page(List<Entry> alarms, boolean truncated) {
        public Page {
            alarms = List.copyOf(alarms);
        }
    }

    private final Journal journal;

    public AlarmHistory(Journal journal) {
        this.journal = journal;
    }

    /**
     * Up to {@code limit} raises since {@code since}, newest first.
     *
     * @param room       only this room's alarms, if given
     * @param activeOnly only raises not cleared
     */
    public Page recent(Optional<String> room, Instant since, int limit, boolean activeOnly) {
        List<Row> rows = read(room, since);
        List<Entry> raises = new ArrayList<>();
        Map<String, Integer> latest = new HashMap<>();
        // Rows come newest first; fold from the oldest.
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row r = rows.get(i);
            String type = r.type();
            Instant at = Micros.toInstant(r.occurredUs());
            JsonNode p;
            try {
                p = EventJson.MAPPER.readTree(r.payload());
            } catch (IOException e) {
                continue; // not ours to judge here; the room state counts unreadable bodies
            }
            String id = p.path("alarm").asText("");
            if (type.equals(EventType.ALARM_RAISED.wireName())) {
                latest.put(id, raises.size());
                raises.add(new Entry(id, r.room(), p.path("rule").asText(null), text(p, "kind"), text(p, "severity"),
                        text(p, "sensor"), text(p, "metric"), number(p, "value"), number(p, "threshold"), text(p, "message"),
                        at, null, null, null));
                continue;
            }
            Integer index = latest.get(id);
            if (index == null) {
                continue;
            }
            Entry e = raises.get(index);
            if (type.equals(EventType.ALARM_CLEARED.wireName())) {
                if (e.active()) {
                    raises.set(index, e.cleared(at, text(p, "reason")));
                }
            } else if (e.acknowledged() == null && e.raisedAt().toString().equals(instantText(p.path("raisedAt").asText()))) {
                raises.set(index, e.acknowledge(new Acknowledgement(p.path("by").asText(), at, text(p, "note"))));
            }
        }
        Collections.reverse(raises);
        List<Entry> out = new ArrayList<>();
        for (Entry e : raises) {
            if (out.size() == limit) {
                break;
            }
            if (!activeOnly || e.active()) {
                out.add(e);
            }
        }
        return new Page(out, rows.size() == MAX_EVENTS);
    }

    /** The latest raise of alarm {@code id} in {@code room} since {@code since}, if any. */
    public Optional<Entry> latest(String room, String id, Instant since) {
        return recent(Optional.of(room), since, MAX_EVENTS, false).alarms().stream().filter(e -> e.alarm().equals(id)).findFirst();
    }

    /** One alarm event as read. */
    private record Row(String type, long occurredUs, String room, String payload) {
    }

    /** The window's alarm events, newest first. */
    private List<Row> read(Optional<String> room, Instant since) {
        String sql = sql(room.isPresent());
        return journal.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (room.isPresent()) {
                    ps.setString(i++, room.get());
                }
                ps.setLong(i++, Micros.of(since));
                ps.setString(i++, EventStream.PRIORITY.wireName());
                ps.setString(i++, EventType.ALARM_RAISED.wireName());
                ps.setString(i++, EventType.ALARM_CLEARED.wireName());
                ps.setString(i++, EventType.ALARM_ACKNOWLEDGED.wireName());
                ps.setInt(i, MAX_EVENTS);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    /** An instant's canonical text, or the input if it is not one (it then matches no raise). */
    private static String instantText(String s) {
        try {
            return Instant.parse(s).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return s;
        }
    }

    /**
     * The alarm events query: parameters room (if asked), since, stream, the three types, limit.
     * The time and room indexes are partial (no raw readings): the query carries their condition
     * literally; "+stream" keeps the planner off the primary key.
     */
    static String sql(boolean byRoom) {
        return "SELECT type, occurred_us, room, payload FROM events WHERE "
                + (byRoom ? "room = ? AND " : "")
                + "occurred_us >= ? AND " + Journal.NOT_READINGS + " AND +stream = ? AND type IN (?, ?, ?)"
                + " ORDER BY occurred_us DESC, seq DESC LIMIT ?";
    }

    private static String text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Double number(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
