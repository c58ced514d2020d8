package org.campusedge.agent.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The access mode's record in the journal: every change is an {@code access.mode} event
 * <pre>{"mode":"lockdown","previous":"normal","by":"principal","reason":"police request"}</pre>
 * and the agent starts in the mode of the last one, so a lockdown survives a power cut.
 */
public final class AccessModes {

    private static final Logger LOG = LoggerFactory.getLogger(AccessModes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessModes() {
    }

    /**
     * One change of mode.
     *
     * @param mode     the new mode
     * @param previous the mode before
     * @param by       who asked
     * @param reason   why
     */
    public record Change(AccessMode mode, AccessMode previous, String by, String reason) {
        public Change {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(previous, "previous");
            requireWhoAndWhy(by, reason);
        }
    }

    /**
     * The {@code access.mode} event recording {@code change}. School-wide, so it names no room; {@link #restore}
     * relies on that to find it quickly.
     */
    public static JournalEntry entry(Change change, Instant at) {
        Payload payload = new Payload(change.mode().wireName(), change.previous().wireName(), change.by(), change.reason());
        try {
            return new JournalEntry(EventType.ACCESS_MODE, at, Optional.empty(), JSON.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise access.mode payload", e);
        }
    }

    /**
     * The mode recorded by the last {@code access.mode} event in the journal (by commit order), or
     * {@link AccessMode#NORMAL} when there is none. An event this agent cannot read is logged and
     * passed over for the one before it.
     */
    public static AccessMode restore(Journal journal) {
        return journal.read(c -> {
            // Mode events name no room: the room index finds the few room-less events at once, where a
            // walk back through the stream reads every tap since the last change (seconds on an SD card
            // holding a million events, and the whole stream when there never was a change).
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, payload FROM events INDEXED BY events_by_room"
                    + " WHERE room IS NULL AND " + Journal.NOT_READINGS + " AND stream = ? AND type = ? ORDER BY seq DESC")) {
                ps.setString(1, EventType.ACCESS_MODE.stream().wireName());
                ps.setString(2, EventType.ACCESS_MODE.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Optional<AccessMode> mode = parse(rs.getString(2));
                        if (mode.isPresent()) {
                            return mode.get();
                        }
                        LOG.warn("access.mode event seq {} unreadable, looking at the one before: {}", rs.getLong(1),
                                rs.getString(2));
                    }
                }
            }
            return AccessMode.NORMAL;
        });
    }

    /** The mode named by an {@code access.mode} payload, if it names one. */
    static Optional<AccessMode> parse(String payloadJson) {
        try {
            JsonNode mode = JSON.readTree(payloadJson).path("mode");
            return mode.isTextual() ? AccessMode.ofWireName(mode.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    static void requireWhoAndWhy(String by, String reason) {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("an access mode change needs who asked for it");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an access mode change needs a reason");
        }
    }

    /** Body of an {@code access.mode} event. */
    public record Payload(String mode, String previous, String by, String reason) {
    }
}
