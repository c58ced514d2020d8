package org.campusedge.sync.center.query;

import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.DeviceStoreException;
import org.campusedge.sync.center.DeviceStore;
import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.EventStoreException;
import org.campusedge.sync.center.RegisteredDevice;
import org.campusedge.sync.center.ReportedBacklog;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The city-wide queries: {@code GET /v1/devices}, {@code GET /v1/events} and
 * {@code GET /v1/reports/usage}, for the bureau and city IT (the configuration's
 * {@code queries.readers}). No or an unknown token: 401 with {@code WWW-Authenticate} (RFC 6750
 * section 3); a device's token: 403. Parameters are checked before the store is touched; a
 * refusal is a 400 naming the parameter, counted in {@link #stats()}.
 *
 * <p>Thread-safe: routes run concurrently on the HTTP server's workers; counters are adders.
 */
public final class QueryApi {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    static final String CSV = "text/csv; charset=utf-8";

    private final EventStore store;
    private final DeviceStore devices;
    private final DataCenterConfig.Queries settings;
    private final Clock clock;
    private final Supplier<Map<String, ReportedBacklog>> backlogs;
    private final UsageReport usage;
    private final LongAdder answered = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder forbidden = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final LogThrottle refusalLog = new LogThrottle(Duration.ofMinutes(1));

    public QueryApi(EventStore store, DeviceStore devices, DataCenterConfig.Queries settings, Clock clock) {
        this(store, devices, settings, store::backlogs, clock);
    }

    /**
     * @param backlogs the latest backlog per box, where the data center keeps it (newer in memory
     *                 than in the store); {@code GET /v1/devices} shows it
     */
    public QueryApi(EventStore store, DeviceStore devices, DataCenterConfig.Queries settings,
                    Supplier<Map<String, ReportedBacklog>> backlogs, Clock clock) {
        this.store = store;
        this.backlogs = backlogs;
        this.devices = devices;
        this.settings = settings;
        this.clock = clock;
        this.usage = new UsageReport(store, settings);
    }

    /** Adds the query routes to {@code router}. */
    public Router register(Router router) {
        return router
                .get("/v1/devices", (request, params) -> answer(request, () -> devices(request)))
                .get("/v1/events", (request, params) -> answer(request, () -> events(request)))
                .get("/v1/reports/usage", (request, params) -> answer(request, () -> usage(request)));
    }

    public QueryStats stats() {
        return new QueryStats(answered.sum(), badRequests.sum(), unauthorized.sum(), forbidden.sum(), storeFailures.sum());
    }

    /** One query's work, after admission. */
    private interface Work {
        HttpReply run() throws BadQueryException;
    }

    private HttpReply answer(HttpRequestView request, Work work) {
        Optional<HttpReply> refusal = admit(request);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        try {
            HttpReply reply = work.run();
            answered.increment();
            return reply;
        } catch (BadQueryException e) {
            badRequests.increment();
            refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: bad query {} from {}: {} ({} similar suppressed)",
                    request.path(), request.remote(), e.getMessage(), n));
            return HttpReply.error(400, "bad_query", e.getMessage());
        } catch (EventStoreException | DeviceStoreException e) {
            storeFailures.increment();
            refusalLog.acquire().ifPresent(n -> LOG.error("datacenter: query {} failed: {} ({} similar suppressed)",
                    request.path(), e.getMessage(), n));
            return HttpReply.error(503, "storage_unavailable", "the store cannot answer right now; retry later")
                    .withHeader("Retry-After", "5");
        }
    }

    /** Empty if the request carries a reader's token; otherwise the 401 or 403 refusing it. */
    private Optional<HttpReply> admit(HttpRequestView request) {
        String header = request.header("Authorization");
        String token = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? "" : header.substring(7).trim();
        if (!token.isEmpty()) {
            if (settings.reader(token).isPresent()) {
                return Optional.empty();
            }
            if (devices.authenticate(token).isPresent()) {
                forbidden.increment();
                return Optional.of(HttpReply.error(403, "forbidden",
                        "a device token may not run city-wide queries; use a reader token (queries.readers)"));
            }
        }
        unauthorized.increment();
        refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: {} {} from {}: {} ({} similar suppressed)", request.method(),
                request.path(), request.remote(), token.isEmpty() ? "no token" : "unknown token", n));
        return Optional.of(HttpReply.error(401, "unauthorized", token.isEmpty()
                        ? "an Authorization: Bearer <reader token> header is required" : "the token is not a reader's token")
                .withHeader("WWW-Authenticate", "Bearer realm=\"campusedge\""));
    }

    private HttpReply devices(HttpRequestView request) throws BadQueryException {
        QueryParams p = QueryParams.of(request, Set.of("school", "format"));
        boolean csv = p.choice("format", List.of("json", "csv"), "json").equals("csv");
        Optional<String> school = p.text("school");
        List<RegisteredDevice> listed = devices.list().stream()
                .filter(d -> school.isEmpty() || d.school().equals(school.get())).toList();
        return DeviceLag.answer(store, listed, backlogs.get(), clock.instant(), csv);
    }

    private HttpReply events(HttpRequestView request) throws BadQueryException {
        QueryParams p = QueryParams.of(request, Set.of("school", "device", "room", "type", "from", "to", "limit", "after", "format"));
        return EventsAnswer.answer(store, p, schools(), settings, clock.instant());
    }

    private HttpReply usage(HttpRequestView request) throws BadQueryException {
        QueryParams p = QueryParams.of(request, Set.of("period", "from", "to", "school", "format", "lang"));
        String periodText = p.text("period").orElseThrow(() -> new BadQueryException("period is required: week, month or term"));
        ReportPeriod period = ReportPeriod.fromWireName(periodText).orElseThrow(() ->
                new BadQueryException("period must be week, month or term, got \"" + QueryParams.clip(periodText) + "\""));
        boolean csv = p.choice("format", List.of("json", "csv"), "json").equals("csv");
        boolean chinese = p.choice("lang", List.of("en", "zh-CN"), "en").equals("zh-CN");
        List<DataCenterConfig.Term> terms = settings.terms();
        if (period == ReportPeriod.TERM && terms.isEmpty()) {
            throw new BadQueryException("period=term needs school terms in the configuration (queries.terms)");
        }
        Optional<java.time.LocalDate> fromDay = p.date("from");
        Optional<java.time.LocalDate> toDay = p.date("to");
        if (period != ReportPeriod.TERM && (fromDay.isEmpty() || toDay.isEmpty())) {
            throw new BadQueryException("from and to are required (days such as 2026-09-01; to is included)");
        }
        java.time.LocalDate from = fromDay.orElseGet(() -> terms.get(0).from());
        java.time.LocalDate to = toDay.orElseGet(() -> terms.get(terms.size() - 1).to());
        QueryParams.checkRange(from.atStartOfDay(settings.zone()).toInstant(),
                to.atStartOfDay(settings.zone()).toInstant(), settings.maxRangeDays());
        Map<String, String> schools = schools();
        Optional<Set<String>> only = p.text("school").map(s -> devicesOf(schools, s));
        UsageReport.Result result = usage.compute(schools, only, period, from, to);
        if (csv) {
            return HttpReply.bytes(200, CSV, UsageTable.csv(result.rows(), chinese).getBytes(StandardCharsets.UTF_8))
                    .withHeader("Content-Disposition", "attachment; filename=\"usage-" + period.wireName() + "-" + from + "-" + to + ".csv\"");
        }
        return JsonAnswers.usage(result);
    }

    /** Every registered device's school. */
    private Map<String, String> schools() {
        Map<String, String> out = new HashMap<>();
        devices.list().forEach(d -> out.put(d.id(), d.school()));
        return out;
    }

    static Set<String> devicesOf(Map<String, String> schools, String school) {
        return schools.entrySet().stream().filter(e -> e.getValue().equals(school)).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }
}
