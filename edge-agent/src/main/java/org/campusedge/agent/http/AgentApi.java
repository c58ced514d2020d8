package org.campusedge.agent.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.http.SseAnswer;
import org.campusedge.sync.http.SseEvent;
import org.campusedge.sync.http.SseHub;

import java.time.Instant;
import static java.nio.charset.StandardCharsets.UTF_8;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The agent's REST API: {@code /api/health}, {@code /api/events}, {@code /metrics}, and
 * {@code /api/stream}: server-sent events from the {@link SseHub} the agent
 * publishes live updates into, optionally filtered with {@code ?topics=room,alarm} (event names;
 * absent means all). Handlers run on the HTTP server's worker threads and only read.
 */
public final class AgentApi {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Journal journal;
    private final Supplier<HealthReport> health;
    private final Supplier<String> metrics;
    private final Optional<SseHub> stream;

    /** An API whose {@code /api/stream} answers 503: no live updates are published. */
    public AgentApi(Journal journal, Supplier<HealthReport> health, Supplier<String> metrics) {
        this(journal, health, metrics, Optional.empty());
    }

    /**
     * @param stream the hub {@code /api/stream} serves; the caller publishes into it and closes it
     */
    public AgentApi(Journal journal, Supplier<HealthReport> health, Supplier<String> metrics, SseHub stream) {
        this(journal, health, metrics, Optional.of(stream));
    }

    private AgentApi(Journal journal, Supplier<HealthReport> health, Supplier<String> metrics, Optional<SseHub> stream) {
        this.journal = journal;
        this.health = health;
        this.metrics = metrics;
        this.stream = stream;
    }

    public Router router() {
        return new Router()
                .get("/api/health", (req, p) -> health())
                .get("/api/events", (req, p) -> events(req))
                .stream("/api/stream", (req, p) -> stream(req))
                .get("/metrics", (req, p) -> HttpReply.bytes(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.get().getBytes(UTF_8)));
    }

    private HttpReply health() throws JsonProcessingException {
        HealthReport report = health.get();
        return HttpReply.json(report.status().equals("down") ? 503 : 200, JSON.writeValueAsString(report));
    }

    private HttpReply events(HttpRequestView req) throws JsonProcessingException {
        EventQuery query;
        try {
            query = parseQuery(req);
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "bad_query", e.getMessage());
        }
        List<EventView> events = journal.query(query).stream().map(EventView::of).toList();
        return HttpReply.json(200, JSON.writeValueAsString(Map.of("events", events)));
    }

    private SseAnswer stream(HttpRequestView req) {
        if (stream.isEmpty()) {
            return SseAnswer.refuse(HttpReply.error(503, "stream_unavailable", "this agent publishes no live updates"));
        }
        Optional<Set<String>> topics;
        try {
            topics = req.queryParam("topics").map(AgentApi::parseTopics);
        } catch (IllegalArgumentException e) {
            return SseAnswer.refuse(HttpReply.error(400, "bad_query", e.getMessage()));
        }
        return SseAnswer.subscribe(stream.get(), topics.<Predicate<SseEvent>>map(t -> e -> t.contains(e.name()))
                .orElse(e -> true));
    }

    static Set<String> parseTopics(String s) {
        Set<String> topics = new HashSet<>();
        for (String t : s.split(",", -1)) {
            topics.add(checkToken("topics", t.trim()));
        }
        return Set.copyOf(topics);
    }

    static EventQuery parseQuery(HttpRequestView req) {
        int limit = req.queryParam("limit").map(s -> parseInt("limit", s)).orElse(50);
        if (limit < 1 || limit > EventQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + EventQuery.MAX_LIMIT + ", got " + limit);
        }
        Optional<EventStream> stream = req.queryParam("stream").map(s -> {
            try {
                return EventStream.fromWireName(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stream must be priority or readings, got \"" + s + "\"");
            }
        });
        Optional<Instant> since = req.queryParam("since").map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("since must be an ISO-8601 instant like 2026-11-29T08:00:00Z, got \"" + s + "\"");
            }
        });
        Optional<String> type = req.queryParam("type").map(s -> checkToken("type", s));
        Optional<String> room = req.queryParam("room").map(s -> checkToken("room", s));
        return new EventQuery(stream, type, room, since, limit);
    }

    private static int parseInt(String name, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + s + "\"");
        }
    }

    private static String checkToken(String name, String s) {
        if (!s.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(name + " must be 1-64 letters, digits, '.', '_' or '-'"
                    + (name.equals("topics") ? ", comma-separated" : ""));
        }
        return s;
    }

    /** One event as the API shows it; the payload is embedded as JSON, not as a string. */
    public record EventView(String stream, long seq, String type, Instant occurredAt, Instant recordedAt,
                            String room, @JsonRawValue String payload) {
        public static EventView of(JournalEvent e) {
            return new EventView(e.stream().wireName(), e.seq(), e.type(), e.occurredAt(), e.recordedAt(),
                    e.room().orElse(null), e.payloadJson());
        }
    }
}
