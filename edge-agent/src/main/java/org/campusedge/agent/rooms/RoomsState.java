package org.campusedge.agent.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.access.OccupancyView;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.journal.ReadingBody;
import org.campusedge.agent.rooms.RoomView.ActiveAlarm;
import org.campusedge.agent.rooms.RoomView.Tap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of every room: a fold over the journal's committed events, so that replaying
 * the journal (or a snapshot and the events after it) gives exactly the same state.
 *
 * <p>The priority stream (taps, reader status, availability, alarms, resets, access mode) and
 * the readings stream (sensor values) touch disjoint parts of a room, so the result does not
 * depend on how commits of the two streams interleave; within a stream events apply in sequence
 * order, and an event at or below the stream's mark is ignored, so nothing applies twice.
 *
 * <p>Thread-safe: {@link #apply} runs on the journal writer thread (as a commit listener) and
 * every read takes the same lock, briefly.
 */
public final class RoomsState implements OccupancyView {

    /** Minutes of per-minute history kept for each metric. */
    public static final int HISTORY_MINUTES = 15;

    private static final Logger LOG = LoggerFactory.getLogger(RoomsState.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    /**
     * Who is inside each room, republished (copy on write) whenever a tap or reset changes it, so
     * the door's decision reads it without taking the lock that applying a batch of readings holds.
     */
    private final Map<String, Set<String>> inside = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<EventStream, Long> marks = new EnumMap<>(EventStream.class);
    /** Rooms whose occupants changed in the batch being applied; under the lock. */
    private final Set<RoomState> occupancyChanged = new java.util.HashSet<>();
    private String mode = "normal";
    private Instant modeSince;
    private final LongAdder applied = new LongAdder();
    private final LongAdder unknownRoom = new LongAdder();
    private final LongAdder badPayload = new LongAdder();

    /** What one {@link #apply} changed, for live updates. */
    public record Changes(Set<String> rooms, List<JournalEvent> notable, boolean modeChanged) {
        public static final Changes NONE = new Changes(Set.of(), List.of(), false);

        public boolean isEmpty() {
            return rooms.isEmpty() && notable.isEmpty() && !modeChanged;
        }
    }

    /**
     * @param standbyWatts a power reading above this means the machine is on
     */
    public RoomsState(List<RoomConfig> rooms, List<ReaderConfig> readers, double standbyWatts) {
        for (RoomConfig r : rooms) {
            List<String> readerIds = readers.stream().filter(rc -> rc.room().equals(r.id())).map(ReaderConfig::id).toList();
            this.rooms.put(r.id(), new RoomState(r, readerIds, standbyWatts));
        }
    }

    /** Applies committed events in order; events already applied are skipped. */
    public synchronized Changes apply(List<JournalEvent> events) {
        Set<String> changed = null;
        List<JournalEvent> notable = null;
        boolean modeChanged = false;
        for (JournalEvent e : events) {
            if (e.stream() == EventStream.AGGREGATES) {
                continue;
            }
            long mark = marks.getOrDefault(e.stream(), 0L);
            if (e.seq() <= mark) {
                continue;
            }
            marks.put(e.stream(), e.seq());
            applied.increment();
            try {
                Outcome o = applyOne(e);
                if (o == Outcome.MODE) {
                    modeChanged = true;
                    if (notable == null) {
                        notable = new ArrayList<>();
                    }
                    notable.add(e);
                } else if (o != Outcome.NONE) {
                    if (changed == null) {
                        changed = new LinkedHashSet<>();
                    }
                    changed.add(e.room().orElse(""));
                    if (o == Outcome.NOTABLE) {
                        if (notable == null) {
                            notable = new ArrayList<>();
                        }
                        notable.add(e);
                    }
                }
            } catch (IOException | RuntimeException ex) {
                badPayload.increment();
                LOG.warn("room state: cannot apply {} {} #{}: {}", e.type(), e.stream().wireName(), e.seq(), ex.toString());
            }
        }
        // Who is inside is republished once per room per batch, not per tap: copying a room's
        // occupants for every one of a backlog of taps would make a rebuild quadratic.
        for (RoomState room : occupancyChanged) {
            inside.put(room.id(), room.cards());
        }
        occupancyChanged.clear();
        if (changed == null && notable == null && !modeChanged) {
            return Changes.NONE;
        }
        return new Changes(changed == null ? Set.of() : changed, notable == null ? List.of() : notable, modeChanged);
    }

    private enum Outcome { NONE, ROOM, NOTABLE, MODE }

    private Outcome applyOne(JournalEvent e) throws IOException {
        String type = e.type();
        if (type.equals(EventType.ACCESS_MODE.wireName())) {
            JsonNode p = JSON.readTree(e.payloadJson());
            mode = p.path("mode").asText("normal");
            modeSince = e.occurredAt();
            return Outcome.MODE;
        }
        if (e.room().isEmpty()) {
            return Outcome.NONE;
        }
        RoomState room = rooms.get(e.room().get());
        if (room == null) {
            unknownRoom.increment();
            return Outcome.NONE;
        }
        if (type.equals(EventType.SENSOR_READING.wireName())) {
            reading(room, e);
            return Outcome.ROOM;
        }
        JsonNode p = JSON.readTree(e.payloadJson());
        if (type.equals(EventType.ACCESS_DECISION.wireName())) {
            decision(room, p, e.occurredAt());
            occupancyChanged.add(room);
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.READER_STATUS.wireName())) {
            room.readerStatus(p.path("reader").asText(), p.path("state").asText(), e.occurredAt());
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.READER_ALERT.wireName())) {
            room.readerAlert(p.path("reader").asText(), p.path("kind").asText(), p.path("active").asBoolean());
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.SENSOR_AVAILABILITY.wireName())) {
            room.availability(p.path("sensor").asText(), p.path("online").asBoolean(), e.occurredAt());
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.ALARM_RAISED.wireName())) {
            room.raise(new ActiveAlarm(p.path("alarm").asText(), p.path("rule").asText(), p.path("kind").asText(),
                    p.path("severity").asText(), text(p, "sensor"), text(p, "metric"), number(p, "value"),
                    number(p, "threshold"), text(p, "message"), e.occurredAt()));
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.ALARM_CLEARED.wireName())) {
            room.clear(p.path("alarm").asText());
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.ALARM_ACKNOWLEDGED.wireName())) {
            room.acknowledge(p.path("alarm").asText(), Instant.parse(p.path("raisedAt").asText()),
                    new RoomView.Acknowledgement(p.path("by").asText(), e.occurredAt(), text(p, "note")));
            return Outcome.NOTABLE;
        }
        if (type.equals(EventType.ROOM_OCCUPANCY_RESET.wireName())) {
            room.reset(Instant.parse(p.path("before").asText()), e.occurredAt());
            occupancyChanged.add(room);
            return Outcome.NOTABLE;
        }
        return Outcome.NONE;
    }

    /** Readings are most of the traffic: a just-committed one carries its decoded body, no parse. */
    private static void reading(RoomState room, JournalEvent e) throws IOException {
        ReadingBody r = e.reading();
        room.reading(r.sensor(), r.metric(), r.unit(), r.value(), e.occurredAt());
    }

    /**
     * A granted tap moves the card in or out: an {@code exit} decision (or any grant at an
     * {@code out} reader) takes it out, any other grant puts it in. Denied taps move nobody.
     */
    private static void decision(RoomState room, JsonNode p, Instant at) {
        String card = org.campusedge.agent.access.Permission.normaliseCardId(p.path("card").asText());
        String reader = p.path("reader").asText();
        boolean granted = p.path("granted").asBoolean();
        String reason = p.path("reason").asText();
        String direction = p.path("direction").asText("in");
        String person = text(p, "person");
        room.tap(reader, new Tap(card, person, granted, reason, direction, at));
        if (!granted) {
            return;
        }
        if (reason.equals("exit") || direction.equals("out")) {
            room.leave(card);
        } else {
            room.enter(card, person, at, reader);
        }
    }

    private static String text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Double number(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }

    // ---- reads ----

    public synchronized List<RoomView> views() {
        List<RoomView> out = new ArrayList<>(rooms.size());
        rooms.values().forEach(r -> out.add(r.view()));
        return out;
    }

    public synchronized Optional<RoomView> view(String roomId) {
        RoomState r = rooms.get(roomId);
        return r == null ? Optional.empty() : Optional.of(r.view());
    }

    public synchronized List<String> roomIds() {
        return List.copyOf(rooms.keySet());
    }

    /** How many are inside {@code roomId} (0 for an unknown room). Lock-free: safe at the door. */
    @Override
    public int occupants(String roomId) {
        return inside.getOrDefault(roomId, Set.of()).size();
    }

    /** Whether {@code card} is inside {@code roomId}. Lock-free: safe at the door. */
    @Override
    public boolean inside(String roomId, String card) {
        return inside.getOrDefault(roomId, Set.of()).contains(card);
    }

    /** The earliest entry time of anyone still inside {@code roomId}. */
    public synchronized Optional<Instant> earliestEntry(String roomId) {
        RoomState r = rooms.get(roomId);
        return r == null ? Optional.empty() : Optional.ofNullable(r.earliestEntry());
    }

    public synchronized String mode() {
        return mode;
    }

    public synchronized Optional<Instant> modeSince() {
        return Optional.ofNullable(modeSince);
    }

    /** The last applied sequence number of each stream. */
    public synchronized Map<EventStream, Long> marks() {
        return new EnumMap<>(marks);
    }

    public RoomsStats stats() {
        return new RoomsStats(applied.sum(), unknownRoom.sum(), badPayload.sum());
    }

    // ---- snapshots ----

    /** Everything needed to continue folding from this point: marks, mode, every room. */
    public synchronized RoomsSnapshot snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        marks.forEach((s, v) -> m.put(s.wireName(), v));
        return new RoomsSnapshot(RoomsSnapshot.FORMAT, m, mode, modeSince, views());
    }

    /** Loads a snapshot; rooms no longer configured are dropped, new ones start empty. */
    public synchronized void restore(RoomsSnapshot snapshot) {
        marks.clear();
        snapshot.marks().forEach((s, v) -> marks.put(EventStream.fromWireName(s), v));
        mode = snapshot.mode();
        modeSince = snapshot.modeSince();
        for (RoomView saved : snapshot.rooms()) {
            RoomState r = rooms.get(saved.id());
            if (r != null) {
                r.restore(saved);
                inside.put(r.id(), r.cards());
            }
        }
    }

    /**
     * Counters of the fold.
     *
     * @param applied     events applied
     * @param unknownRoom events naming a room that is not configured (ignored)
     * @param badPayload  events whose body could not be read (ignored, logged)
     */
    public record RoomsStats(long applied, long unknownRoom, long badPayload) {
    }
}
