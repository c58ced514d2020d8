package org.campusedge.agent.rooms;

import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Closes forgotten tap-outs: at each room's close time (in the school's time zone) everyone who
 * entered before it is taken out, by a journaled {@code room.occupancy_reset} event, so the room
 * state stays a pure fold over the journal. If the agent was down at close time, the reset is
 * journaled at the next check, still cutting at the close time.
 *
 * <p>Not thread-safe: owned by the live-rooms thread.
 */
final class DailyClose {

    private static final Logger LOG = LoggerFactory.getLogger(DailyClose.class);

    private final Map<String, LocalTime> closeAt = new HashMap<>();
    private final ZoneId zone;
    private final Clock clock;
    private final Consumer<JournalEntry> sink;
    /** The cut each room was last reset at by this engine, so a reset not yet committed is not repeated. */
    private final Map<String, Instant> requested = new HashMap<>();

    /** Body of a {@code room.occupancy_reset} event. */
    record ResetPayload(String room, Instant before, String reason, int cleared) {
    }

    DailyClose(List<RoomConfig> rooms, Optional<LocalTime> defaultCloseAt, ZoneId zone, Clock clock,
               Consumer<JournalEntry> sink) {
        for (RoomConfig r : rooms) {
            r.closeAt().or(() -> defaultCloseAt).ifPresent(t -> closeAt.put(r.id(), t));
        }
        this.zone = zone;
        this.clock = clock;
        this.sink = sink;
    }

    /** The most recent close instant of a room at or before {@code now}. */
    static Instant lastCut(LocalTime at, ZoneId zone, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        Instant cut = ZonedDateTime.of(today, at, zone).toInstant();
        return cut.isAfter(now) ? ZonedDateTime.of(today.minusDays(1), at, zone).toInstant() : cut;
    }

    void check(RoomsState state) {
        Instant now = clock.instant();
        for (Map.Entry<String, LocalTime> e : closeAt.entrySet()) {
            String room = e.getKey();
            Instant cut = lastCut(e.getValue(), zone, now);
            Optional<Instant> earliest = state.earliestEntry(room);
            if (earliest.isEmpty() || !earliest.get().isBefore(cut) || cut.equals(requested.get(room))) {
                continue;
            }
            requested.put(room, cut);
            int inside = state.occupants(room);
            LOG.info("room {}: daily close at {} clears forgotten tap-outs ({} inside)", room, e.getValue(), inside);
            sink.accept(new JournalEntry(EventType.ROOM_OCCUPANCY_RESET, now, Optional.of(room),
                    EventJson.write(new ResetPayload(room, cut, "daily_close", inside))));
        }
    }
}
