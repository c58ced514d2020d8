package org.campusedge.agent.rooms;

import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEvent;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds committed journal events for room-state tests, numbering each stream as the journal does. */
final class RoomEvents {

    static final List<RoomConfig> ROOMS = List.of(
            new RoomConfig("maker-1", "Maker Space", RoomType.MAKER_SPACE, 20),
            new RoomConfig("studio-1", "Studio", RoomType.RECORDING_STUDIO, 4));

    private final Map<EventStream, Long> seq = new EnumMap<>(EventStream.class);

    static RoomsState newState() {
        return new RoomsState(ROOMS, List.<ReaderConfig>of(), 5.0);
    }

    JournalEvent event(EventType type, Instant at, String room, Map<String, Object> body) {
        long s = seq.merge(type.stream(), 1L, Long::sum);
        return new JournalEvent(type.stream(), s, type.wireName(), at, at, Optional.ofNullable(room), EventJson.write(body));
    }

    JournalEvent reading(Instant at, String room, String sensor, String metric, double value) {
        return event(EventType.SENSOR_READING, at, room, map("room", room, "sensor", sensor, "metric", metric, "value", value,
                "unit", "u", "topic", "t/" + sensor));
    }

    JournalEvent tap(Instant at, String room, String card, boolean granted, String reason, String direction) {
        return event(EventType.ACCESS_DECISION, at, room, map("reader", room + "-door", "room", room, "card", card,
                "granted", granted, "reason", reason, "direction", direction, "person", "P-" + card));
    }

    JournalEvent availability(Instant at, String room, String sensor, boolean online) {
        return event(EventType.SENSOR_AVAILABILITY, at, room, map("room", room, "sensor", sensor, "online", online,
                "state", online ? "online" : "offline", "topic", "t"));
    }

    JournalEvent raised(Instant at, String room, String alarm) {
        return event(EventType.ALARM_RAISED, at, room, map("alarm", alarm, "rule", alarm.split(":")[0], "kind", "threshold",
                "severity", "warning", "room", room, "value", 36.5, "threshold", 35.0, "message", "hot"));
    }

    JournalEvent cleared(Instant at, String room, String alarm) {
        return event(EventType.ALARM_CLEARED, at, room, map("alarm", alarm, "rule", alarm.split(":")[0], "room", room,
                "reason", "condition_ended"));
    }

    JournalEvent acknowledged(Instant at, String room, String alarm, Instant raisedAt, String by, String note) {
        return event(EventType.ALARM_ACKNOWLEDGED, at, room, map("alarm", alarm, "room", room, "rule", alarm.split(":")[0],
                "raisedAt", raisedAt.toString(), "by", by, "note", note));
    }

    JournalEvent reset(Instant at, String room, Instant before) {
        return event(EventType.ROOM_OCCUPANCY_RESET, at, room, map("room", room, "before", before.toString(),
                "reason", "daily_close", "cleared", 1));
    }

    JournalEvent readerStatus(Instant at, String room, String reader, String state) {
        return event(EventType.READER_STATUS, at, room, map("reader", reader, "room", room, "state", state, "detail", ""));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
