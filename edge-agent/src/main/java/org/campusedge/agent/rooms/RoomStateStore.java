package org.campusedge.agent.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps room state across restarts: a snapshot in the journal's {@code room_snapshot} table and
 * the events committed after it. Rebuilding loads the snapshot (if its format is current) and
 * replays the rest, which gives the state the agent had when it stopped.
 */
public final class RoomStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(RoomStateStore.class);
    private static final int REPLAY_BATCH = 10_000;

    private RoomStateStore() {
    }

    /** The saved snapshot, if there is one of the current format that can be read. */
    public static Optional<RoomsSnapshot> load(Journal journal) {
        String json = journal.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT format, state FROM room_snapshot WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != RoomsSnapshot.FORMAT) {
                    return null;
                }
                return rs.getString(2);
            }
        });
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.MAPPER.readValue(json, RoomsSnapshot.class));
        } catch (JsonProcessingException e) {
            LOG.warn("room state snapshot unreadable ({}); rebuilding from the whole journal", e.getOriginalMessage());
            return Optional.empty();
        }
    }

    /** Saves a snapshot; the future completes once it is committed. */
    public static CompletableFuture<Void> save(Journal journal, RoomsSnapshot snapshot) {
        String json = EventJson.write(snapshot);
        String marks = EventJson.write(snapshot.marks());
        return journal.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO room_snapshot (id, format, marks, state, taken_us) VALUES (1, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET format = excluded.format, marks = excluded.marks,"
                            + " state = excluded.state, taken_us = excluded.taken_us")) {
                ps.setInt(1, snapshot.format());
                ps.setString(2, marks);
                ps.setString(3, json);
                ps.setLong(4, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Brings {@code state} up to the journal's end: the snapshot, then every later event of the
     * priority and readings streams. Returns how many events were replayed.
     */
    public static long rebuild(Journal journal, RoomsState state) {
        long start = System.nanoTime();
        Optional<RoomsSnapshot> snapshot = load(journal);
        snapshot.ifPresent(state::restore);
        long replayed = 0;
        for (EventStream stream : List.of(EventStream.PRIORITY, EventStream.READINGS)) {
            long after = state.marks().getOrDefault(stream, 0L);
            while (true) {
                List<JournalEvent> batch = journal.events(stream, after, REPLAY_BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                state.apply(batch);
                replayed += batch.size();
                after = batch.get(batch.size() - 1).seq();
                if (replayed % 1_000_000 < REPLAY_BATCH) {
                    LOG.info("room state: {} events replayed so far", replayed);
                }
            }
        }
        LOG.info("room state rebuilt: {}, {} events replayed in {} ms",
                snapshot.isPresent() ? "from a snapshot" : "from the whole journal", replayed,
                (System.nanoTime() - start) / 1_000_000);
        return replayed;
    }
}
