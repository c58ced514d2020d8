package org.campusedge.agent.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.campusedge.agent.journal.EventCursor;
import org.campusedge.agent.journal.EventPage;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.http.BodyAnswer;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.http.SseAnswer;
import org.campusedge.sync.http.SseEvent;
import org.campusedge.sync.http.SseHub;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import static java.nio.charset.StandardCharsets.UTF_8;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The agent's REST API: {@code /api/health}, {@code /api/events} (a page of events, newest first,
 * with the cursor of the next), {@code /api/events.csv} (the same filter as a streamed CSV export),
 * {@code /metrics}, and
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
    private final ZoneId zone;
    private final Clock clock;

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
        this(journal, health, metrics, stream, ZoneOffset.UTC, Clock.systemUTC());
    }

    private AgentApi(Journal journal, Supplier<HealthReport> health, Supplier<String> metrics, Optional<SseHub> stream,
                     ZoneId zone, Clock clock) {
        this.journal = journal;
        this.health = health;
        this.metrics = metrics;
        this.stream = stream;
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * This API telling times in the school's zone (the events page's time range, the export's
     * times and file name) and dating exports by {@code clock}; UTC until set.
     */
    public AgentApi withSchoolTime(ZoneId schoolZone, Clock now) {
        return new AgentApi(journal, health, metrics, stream, schoolZone, now);
    }

    public Router router() {
        return new Router()
                .get("/api/health", (req, p) -> health())
                .get("/api/events", (req, p) -> events(req))
                .download("/api/events.csv", (req, p) -> eventsCsv(req))
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
        EventPage page = journal.page(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", page.events().stream().map(EventView::of).toList());
        body.put("next", page.next().map(EventCursor::wire).orElse(null));
        body.put("timeZone", zone.getId());
        return HttpReply.json(200, JSON.writeValueAsString(body));
    }

    /**
     * The filtered events as CSV, streamed: {@code limit} is the number of rows (default and most
     * {@value EventsCsv#MAX_ROWS}), {@code lang} the header's language ({@code zh-CN}, the default, or {@code en}).
     */
    private BodyAnswer eventsCsv(HttpRequestView req) {
        EventQuery query;
        int rows;
        boolean chinese;
        try {
            rows = QueryParams.integer(req, "limit", EventsCsv.MAX_ROWS, 1, EventsCsv.MAX_ROWS);
            chinese = switch (req.queryParam("lang").orElse("zh-CN")) {
                case "zh-CN" -> true;
                case "en" -> false;
                default -> throw new IllegalArgumentException("lang must be zh-CN or en");
            };
            query = parseQuery(req, false);
        } catch (IllegalArgumentException e) {
            return BodyAnswer.reply(HttpReply.error(400, "bad_query", e.getMessage()));
        }
        String file = "campus-edge-events-" + LocalDate.now(clock.withZone(zone)) + ".csv";
        EventsCsv csv = new EventsCsv(journal, zone);
        return BodyAnswer.stream("text/csv; charset=utf-8", Map.of(
                "Content-Disposition", "attachment; filename=\"" + file + "\"",
                "Cache-Control", "no-store",
                "X-Content-Type-Options", "nosniff"), out -> csv.write(query, rows, chinese, out));
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
        return parseQuery(req, true);
    }

    /** The query's filters; with {@code paged} also its {@code limit} (the CSV export has its own). */
    static EventQuery parseQuery(HttpRequestView req, boolean paged) {
        int limit = paged ? QueryParams.integer(req, "limit", 50, 1, EventQuery.MAX_LIMIT) : EventQuery.MAX_LIMIT;
        Optional<EventStream> stream = req.queryParam("stream").map(s -> {
            try {
                return EventStream.fromWireName(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stream must be priority or readings, got \"" + s + "\"");
            }
        });
        Optional<Instant> since = Optional.ofNullable(QueryParams.instant(req, "since", null));
        Optional<Instant> until = Optional.ofNullable(QueryParams.instant(req, "until", null));
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            throw new IllegalArgumentException("until must be later than since");
        }
        Optional<String> type = req.queryParam("type").map(s -> checkToken("type", s));
        Optional<String> room = req.queryParam("room").map(s -> checkToken("room", s));
        Optional<String> card = req.queryParam("card").map(s -> {
            if (!s.matches("[A-Za-z0-9:._-]{1,64}")) {
                throw new IllegalArgumentException("card must be 1-64 letters, digits, ':', '.', '_' or '-'");
            }
            return s;
        });
        EventCursor before = req.queryParam("before").map(s -> {
            try {
                return EventCursor.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("before must be the \"next\" of an earlier answer: " + e.getMessage());
            }
        }).orElse(EventCursor.START);
        return new EventQuery(stream, type, room, since, until, card, before, limit);
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
