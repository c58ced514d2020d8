package org.campusedge.agent.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.alarms.AlarmHistory;
import org.campusedge.agent.auth.Principal;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomView.Acknowledgement;
import org.campusedge.agent.rooms.RoomView.ActiveAlarm;
import org.campusedge.agent.rooms.RoomsState;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Alarms for the dashboard and IT tools:
 * <ul>
 *   <li>{@code GET /api/alarms?room=..&limit=..&active=true&since=..}: raises from the journal,
 *       newest first, each with its clear and acknowledgement (see {@link AlarmHistory});</li>
 *   <li>{@code POST /api/alarms/{id}/ack} with an optional {@code {"note": ".."}}: a manager or
 *       admin acknowledges an active alarm. The acknowledgement is journaled as
 *       {@code alarm.acknowledged} (priority stream, so it reaches the city like raise and clear)
 *       before the reply, and the room state, which folds it in, shows who and when. Acknowledging
 *       an acknowledged alarm answers the first acknowledgement and journals nothing; an alarm
 *       that is no longer active is a 409, one never raised a 404.</li>
 * </ul>
 * Who may acknowledge is the {@link org.campusedge.agent.auth.AuthGate}'s business (CSRF included);
 * the route looks at the role again. Handlers run on the HTTP server's workers; acknowledgements
 * are serialised by this object's lock so two at once journal one event.
 */
public final class AlarmsApi {

    /** Longest note an acknowledgement may carry, in characters. */
    public static final int MAX_NOTE = 500;
    /** How far back {@code GET /api/alarms} looks unless told {@code since}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    /** Most raises in one answer. */
    public static final int MAX_LIMIT = 500;
    private static final Logger LOG = LoggerFactory.getLogger(AlarmsApi.class);

    private final RoomsState state;
    private final Journal journal;
    private final AlarmHistory history;
    private final Clock clock;
    private final Function<HttpRequestView, Optional<Principal>> who;

    /** @param who who sent a request the gate let through */
    public AlarmsApi(RoomsState state, Journal journal, Clock clock, Function<HttpRequestView, Optional<Principal>> who) {
        this.state = state;
        this.journal = journal;
        this.history = new AlarmHistory(journal);
        this.clock = clock;
        this.who = who;
    }

    /** Body of an {@code alarm.acknowledged} event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AcknowledgedPayload(String alarm, String room, String rule, String sensor, Instant raisedAt, String by,
                                      String note) {
    }

    /** The reply to an acknowledgement. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AckReply(String alarm, String room, Acknowledgement acknowledged, boolean already, Long seq) {
    }

    public Router register(Router router) {
        return router
                .get("/api/alarms", (req, p) -> list(req))
                .post("/api/alarms/{id}/ack", (req, p) -> acknowledge(req, p.get("id")));
    }

    private HttpReply list(HttpRequestView req) {
        Optional<String> room;
        int limit;
        boolean active;
        Instant since;
        try {
            room = QueryParams.id(req, "room");
            limit = QueryParams.integer(req, "limit", 100, 1, MAX_LIMIT);
            active = QueryParams.bool(req, "active", false);
            since = QueryParams.instant(req, "since", clock.instant().minus(DEFAULT_WINDOW));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "bad_query", e.getMessage());
        }
        if (room.isPresent() && state.view(room.get()).isEmpty()) {
            return RoomsApi.noSuchRoom(state, room.get());
        }
        return HttpReply.json(200, EventJson.write(history.recent(room, since, limit, active)));
    }

    private HttpReply acknowledge(HttpRequestView req, String id) {
        Optional<Principal> principal = who.apply(req);
        if (principal.isEmpty()) {
            return HttpReply.error(401, "unauthorized", "log in, or send Authorization: Bearer <token>");
        }
        if (!principal.get().role().includes(Role.MANAGER)) {
            // The gate refuses this already; a second look here keeps a renamed route from opening up.
            return HttpReply.error(403, "forbidden", "acknowledging an alarm needs a manager");
        }
        // The router has percent-decoded the id already (a malformed escape is its 404).
        if (id.isEmpty() || id.length() > 256 || !id.matches("[\\x21-\\x7E]+")) {
            return HttpReply.error(400, "bad_alarm", "the alarm id must be 1-256 printable ASCII characters, like rule:room:sensor");
        }
        String note;
        try {
            note = note(req);
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "bad_note", e.getMessage());
        }
        String by = principal.get().name();
        synchronized (this) {
            Optional<Found> found = findActive(id);
            if (found.isEmpty()) {
                return notActive(id);
            }
            ActiveAlarm alarm = found.get().alarm();
            String room = found.get().room();
            if (alarm.acknowledged() != null) {
                return HttpReply.json(200, EventJson.write(new AckReply(id, room, alarm.acknowledged(), true, null)));
            }
            Instant now = clock.instant();
            JournalEntry entry = new JournalEntry(EventType.ALARM_ACKNOWLEDGED, now, Optional.of(room), EventJson.write(
                    new AcknowledgedPayload(id, room, alarm.rule(), alarm.sensor(), alarm.since(), by, note)));
            JournalEvent committed;
            try {
                committed = journal.append(entry).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HttpReply.error(503, "not_journaled", "interrupted before the acknowledgement was journaled");
            } catch (ExecutionException | TimeoutException e) {
                LOG.error("acknowledgement of alarm {} by {} not journaled: {}", id, by, e.toString());
                return HttpReply.error(500, "not_journaled", "the acknowledgement could not be journaled: " + e.getMessage());
            }
            LOG.info("alarm {} in room {} acknowledged by {}", id, room, by);
            // The room state folded the event in on commit, before the future completed.
            Acknowledgement ack = findActive(id).map(f -> f.alarm().acknowledged())
                    .orElse(new Acknowledgement(by, committed.occurredAt(), note));
            return HttpReply.json(200, EventJson.write(new AckReply(id, room, ack, false, committed.seq())));
        }
    }

    /** 409 if the alarm was raised here in the default window and has cleared since; 404 otherwise. */
    private HttpReply notActive(String id) {
        String[] parts = id.split(":", 3);
        if (parts.length >= 2 && state.view(parts[1]).isPresent()) {
            Optional<AlarmHistory.Entry> last = history.latest(parts[1], id, clock.instant().minus(DEFAULT_WINDOW));
            if (last.isPresent() && !last.get().active()) {
                return HttpReply.error(409, "alarm_cleared", "alarm \"" + QueryParams.printable(id) + "\" cleared at "
                        + last.get().clearedAt() + " and is no longer active; only active alarms can be acknowledged");
            }
        }
        return HttpReply.error(404, "no_such_alarm", "no active alarm \"" + QueryParams.printable(id) + "\"");
    }

    private record Found(String room, ActiveAlarm alarm) {
    }

    private Optional<Found> findActive(String id) {
        for (RoomView room : state.views()) {
            for (ActiveAlarm a : room.alarms()) {
                if (a.id().equals(id)) {
                    return Optional.of(new Found(room.id(), a));
                }
            }
        }
        return Optional.empty();
    }

    /** The optional note: an empty body, {@code {}} or {@code {"note": "..."}} of at most {@value #MAX_NOTE} characters. */
    private static String note(HttpRequestView req) {
        String text = req.bodyText();
        if (text.isBlank()) {
            return null;
        }
        JsonNode body;
        try {
            body = EventJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be empty or a JSON object like {\"note\": \"...\"}");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be empty or a JSON object like {\"note\": \"...\"}");
        }
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("note must be text");
        }
        String note = n.asText().strip();
        if (note.codePointCount(0, note.length()) > MAX_NOTE) {
            throw new IllegalArgumentException("note must be at most " + MAX_NOTE + " characters");
        }
        if (note.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\t')) {
            throw new IllegalArgumentException("note must be text without control characters (line breaks and tabs are fine)");
        }
        return note.isEmpty() ? null : note;
    }
}
