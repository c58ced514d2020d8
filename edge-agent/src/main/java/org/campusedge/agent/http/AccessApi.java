package org.campusedge.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AccessMode;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.auth.Principal;
import org.campusedge.agent.auth.Role;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The school-wide access mode: {@code GET /api/access/mode} reads it, {@code POST /api/access/mode}
 * with {@code {"mode": "lockdown" | "emergency-unlock" | "normal", "by": ..., "reason": ...}}
 * changes it. Who may change it is the {@link org.campusedge.agent.auth.AuthGate}'s business (a
 * manager: a dashboard session or a bearer token such as {@code http.operator-token-file}); the
 * journal records the account of a session as {@code by}, or the {@code by} a tool sends with its
 * token. The change is journaled (priority stream) before the reply.
 */
public final class AccessApi {

    private static final Logger LOG = LoggerFactory.getLogger(AccessApi.class);

    private final AccessDecider decider;
    private final Journal journal;
    private final Clock clock;
    private final Function<HttpRequestView, Optional<Principal>> who;

    /** @param who who sent a request the gate let through */
    public AccessApi(AccessDecider decider, Journal journal, Clock clock, Function<HttpRequestView, Optional<Principal>> who) {
        this.decider = decider;
        this.journal = journal;
        this.clock = clock;
        this.who = who;
    }

    /** The reply to a mode query or change. */
    public record ModeReply(String mode, String previous, Long seq) {
    }

    public Router register(Router router) {
        return router
                .get("/api/access/mode", (req, p) -> HttpReply.json(200,
                        EventJson.write(new ModeReply(decider.mode().wireName(), null, null))))
                .post("/api/access/mode", (req, p) -> change(req));
    }

    private HttpReply change(HttpRequestView req) throws Exception {
        Optional<Principal> principal = who.apply(req);
        if (principal.isEmpty()) {
            return HttpReply.error(401, "unauthorized", "log in, or send Authorization: Bearer <token>");
        }
        if (!principal.get().role().includes(Role.MANAGER)) {
            // The gate refuses this already; a second look here keeps a renamed route from opening up.
            return HttpReply.error(403, "forbidden", "changing the access mode needs a manager");
        }
        JsonNode body;
        try {
            body = EventJson.MAPPER.readTree(req.bodyText());
        } catch (IOException e) {
            return HttpReply.error(400, "bad_json", "the body must be a JSON object with mode, by and reason");
        }
        if (body == null || !body.isObject()) {
            return HttpReply.error(400, "bad_json", "the body must be a JSON object with mode, by and reason");
        }
        String wanted = body.path("mode").asText("");
        Optional<AccessMode> mode = AccessMode.ofWireName(wanted);
        if (mode.isEmpty()) {
            return HttpReply.error(400, "bad_mode", "mode must be one of " + Arrays.stream(AccessMode.values())
                    .map(AccessMode::wireName).collect(Collectors.joining(", ")));
        }
        String by = body.path("by").asText("").isBlank() || principal.get().via() == Principal.Via.SESSION
                ? principal.get().name() : body.path("by").asText("");
        String reason = body.path("reason").asText("");
        AccessMode previous = decider.mode();
        JournalEntry entry;
        try {
            entry = decider.setMode(mode.get(), by, reason, clock.instant());
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "bad_request", e.getMessage());
        }
        JournalEvent committed;
        try {
            committed = journal.append(entry).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The doors already follow the new mode: safety first, the record second.
            LOG.error("access mode {} is in effect but was not journaled: {}", mode.get().wireName(), e.toString());
            return HttpReply.error(500, "not_journaled", "the mode " + mode.get().wireName()
                    + " is in effect but could not be journaled: " + e.getMessage());
        }
        LOG.warn("access mode {} -> {} by {}: {}", previous.wireName(), mode.get().wireName(), by, reason);
        return HttpReply.json(200, EventJson.write(new ModeReply(mode.get().wireName(), previous.wireName(), committed.seq())));
    }
}
