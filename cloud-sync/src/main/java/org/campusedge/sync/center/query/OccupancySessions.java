package org.campusedge.sync.center.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.sync.center.StoredEvent;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Folds the boxes' access events, in time order, into room sessions: a session is a continuous
 * occupied period of one room of one box, from the first granted entry into the empty room until
 * the last one inside leaves or the box's daily close clears the room.
 *
 * <p>What moves people, as on the box ({@code RoomsState}): an {@code access.decision} with
 * {@code granted: true} puts its card in, unless it is an exit ({@code reason: exit} or
 * {@code direction: out}), which takes it out; denied taps move nobody. A
 * {@code room.occupancy_reset} clears everyone who entered before its {@code before} instant (the
 * daily close), and a session it empties ends at that instant. A student is the event's
 * {@code person} when known, else its {@code card} (a pseudonym {@code hk1:…} when the box
 * pseudonymises). The room type is the {@code roomType} the box puts on decisions, or
 * {@code unknown}.
 *
 * <p>Events that cannot be read (not JSON, no room) are counted and skipped. Not thread-safe: one
 * report's thread owns it.
 */
final class OccupancySessions {

    static final String DECISION = "access.decision";
    static final String RESET = "room.occupancy_reset";
    static final String UNKNOWN_TYPE = "unknown";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One session.
     *
     * @param device   the box
     * @param room     the room id on that box
     * @param roomType the room's type, e.g. {@code recording-studio}
     * @param start    the first granted entry into the empty room
     * @param end      when it became empty, or was closed; for a session still open, its latest entry
     * @param students who entered during the session
     * @param entries  granted entries during the session
     * @param open     true if no exit or close ended it within the events seen
     */
    record Session(String device, String room, String roomType, Instant start, Instant end, Set<String> students,
                   int entries, boolean open) {
    }

    private final Map<String, RoomTrack> rooms = new HashMap<>();
    private final Consumer<Session> sink;
    private long unreadable;

    OccupancySessions(Consumer<Session> sink) {
        this.sink = sink;
    }

    /** Applies one event; events must come in {@code occurredAt} order. */
    void accept(StoredEvent e) {
        if (!TYPES.contains(e.type())) {
            return;
        }
        JsonNode p;
        try {
            p = JSON.readTree(e.payloadJson());
        } catch (IOException ex) {
            unreadable++;
            return;
        }
        String room = p.path("room").asText(null);
        if (room == null || room.isEmpty()) {
            unreadable++;
            return;
        }
        RoomTrack track = rooms.computeIfAbsent(e.deviceId() + "\n" + room, k -> new RoomTrack(e.deviceId(), room));
        if (e.type().equals(DECISION)) {
            track.decision(p, e.occurredAt());
        } else {
            Instant before = e.occurredAt();
            try {
                before = p.hasNonNull("before") ? Instant.parse(p.get("before").asText()) : before;
            } catch (DateTimeParseException ex) {
                unreadable++;
            }
            track.reset(before);
        }
    }

    /** Ends the fold: sessions still open are emitted as open, ending at their latest entry. */
    void finish() {
        rooms.values().forEach(RoomTrack::finishOpen);
    }

    /** Events skipped because their payload could not be read. */
    long unreadable() {
        return unreadable;
    }

    /** One room's occupants and its open session. */
    private final class RoomTrack {
        private final String device;
        private final String room;
        private final Map<String, Instant> inside = new HashMap<>();
        private Instant start;
        private Instant lastEntry;
        private String roomType;
        private Set<String> students;
        private int entries;

        RoomTrack(String device, String room) {
            this.device = device;
            this.room = room;
        }

        void decision(JsonNode p, Instant at) {
            if (!p.path("granted").asBoolean(false)) {
                return;
            }
            String card = p.path("card").asText("");
            if (p.path("reason").asText("").equals("exit") || p.path("direction").asText("in").equals("out")) {
                if (inside.remove(card) != null && inside.isEmpty()) {
                    end(at, false);
                }
                return;
            }
            if (start == null) {
                start = at;
                students = new HashSet<>();
                entries = 0;
                roomType = null;
            }
            inside.putIfAbsent(card, at);
            String person = p.path("person").asText("");
            students.add(person.isEmpty() ? "card:" + card : "person:" + person);
            entries++;
            lastEntry = at;
            String type = p.path("roomType").asText("");
            if (roomType == null && !type.isEmpty()) {
                roomType = type;
            }
        }

        void reset(Instant before) {
            inside.values().removeIf(since -> since.isBefore(before));
            if (start != null && inside.isEmpty()) {
                end(before.isBefore(lastEntry) ? lastEntry : before, false);
            }
        }

        void finishOpen() {
            if (start != null) {
                end(lastEntry, true);
            }
        }

        private void end(Instant at, boolean open) {
            sink.accept(new Session(device, room, roomType == null ? UNKNOWN_TYPE : roomType, start, at, Set.copyOf(students),
                    entries, open));
            start = null;
            students = null;
            inside.clear();
        }
    }

    /** The event types the fold reads. */
    static final Set<String> TYPES = Set.of(DECISION, RESET);
}
