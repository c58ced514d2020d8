package org.campusedge.sync.center;

import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpServerStats;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.BacklogHeader;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.WireError;
import org.campusedge.sync.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The data center's HTTP routes: {@code POST /v1/ingest}, {@code GET /v1/devices/{id}/streams}
 * and {@code GET /v1/health}; see {@code org.campusedge.sync.wire} for the protocol.
 *
 * <p>Every route but health admits a request in this order: a known token (else 401 with
 * {@code WWW-Authenticate}, RFC 6750 section 3), not revoked (else 403 {@code revoked}), within its
 * device's rate limit (else 429 with {@code Retry-After}, RFC 6585 section 4); then the device
 * may touch only its own streams (else 403 {@code forbidden}). A request may carry the box's
 * backlog ({@value Backlog#HEADER}, see {@link BacklogHeader}); one that cannot be read is refused
 * with 400 naming the header and counted ({@code badBacklogReports}), like any malformed input,
 * so a broken box is noticed instead of showing a wrong figure. An upload's backlog is noted once
 * the batch is stored (it counts the batch as sent), other requests' at once. Health stays open for load
 * balancers and monitoring; it shows counters, never device data.
 *
 * <p>Thread-safe: routes run concurrently on the HTTP server's workers; counters are adders and
 * the per-second batch summary is guarded by its own monitor.
 */
final class IngestApi {

    private static final Logger LOG = LoggerFactory.getLogger(DataCenter.class);

    private final EventStore store;
    private final DeviceRegistry devices;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final Instant startedAt;
    private final LongAdder batches = new LongAdder();
    private final LongAdder eventsStored = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder gapsDeclared = new LongAdder();
    private final LongAdder eventsDeclaredLost = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder forbidden = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder badBacklogs = new LongAdder();
    private final BacklogBook backlogs;
    private volatile Supplier<HttpServerStats> httpStats = () -> new HttpServerStats(0, 0, 0, 0, 0, 0);
    private volatile Supplier<Object> queryStats = Map::of;
    private volatile Supplier<Object> longPollStats = Map::of;
    private final LogThrottle refusalLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle storeLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle summaryLog = new LogThrottle(Duration.ofSeconds(1));
    private final Set<String> summaryDevices = new TreeSet<>();
    private long summaryBatches;
    private long summaryStored;
    private long summaryDuplicates;

    IngestApi(EventStore store, DeviceRegistry devices, RateLimiter rateLimiter, BacklogBook backlogs, Clock clock) {
        this.store = store;
        this.backlogs = backlogs;
        this.devices = devices;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    Router router() {
        return new Router()
                .post("/v1/ingest", (request, params) -> ingest(request))
                .post("/v1/gaps", (request, params) -> declareGap(request))
                .get("/v1/devices/{id}/streams", (request, params) -> marks(request, params.get("id")))
                .get("/v1/devices/{id}/gaps", (request, params) -> gaps(request, params.get("id")))
                .get("/v1/health", (request, params) -> health());
    }

    /** Where health reads the city-wide queries' counters from. */
    void queryStats(Supplier<Object> source) {
        queryStats = source;
    }

    /** Where health reads the downlink long-polls' counters from. */
    void longPollStats(Supplier<Object> source) {
        longPollStats = source;
    }

    /** Where health reads the HTTP server's counters from. */
    void httpStats(Supplier<HttpServerStats> source) {
        httpStats = source;
    }

    DataCenterStats stats() {
        return new DataCenterStats(batches.sum(), eventsStored.sum(), duplicates.sum(), gaps.sum(),
                authFailures.sum(), forbidden.sum(), badRequests.sum(), storeFailures.sum(), gapsDeclared.sum(),
                eventsDeclaredLost.sum(), revoked.sum(), throttled.sum());
    }

    private HttpReply ingest(HttpRequestView request) throws WireFormatException {
        Admission admission = admit(request);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Device device = admission.device();
        IngestBatch batch;
        try {
            batch = JsonCodec.decode(request.body(), IngestBatch.class);
        } catch (WireFormatException e) {
            badRequests.increment();
            refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: bad batch from device {} at {}: {} ({} similar suppressed)",
                    device.id(), request.remote(), e.getMessage(), n));
            return error(400, "bad_request", "not a valid batch: " + e.getMessage());
        }
        if (!batch.deviceId().equals(device.id())) {
            return forbidden(request, device, batch.deviceId());
        }
        Written written = write("store a batch", "store events", batch.deviceId(), () -> store.ingest(batch, clock.instant()));
        if (written.refusal() != null) {
            return written.refusal();
        }
        IngestAck ack = written.ack();
        noteBacklog(admission);
        batches.increment();
        eventsStored.add(ack.stored());
        duplicates.add(ack.duplicates());
        summarise(ack);
        return HttpReply.json(200, JsonCodec.encodeString(ack));
    }

    private HttpReply declareGap(HttpRequestView request) throws WireFormatException {
        Admission admission = admit(request);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Device device = admission.device();
        GapDeclaration gap;
        try {
            gap = JsonCodec.decode(request.body(), GapDeclaration.class);
        } catch (WireFormatException e) {
            badRequests.increment();
            return error(400, "bad_request", "not a valid gap declaration: " + e.getMessage());
        }
        if (!gap.deviceId().equals(device.id())) {
            return forbidden(request, device, gap.deviceId());
        }
        long before = store.marks(gap.deviceId()).acked(gap.stream());
        Written written = write("record a gap", "record gaps", gap.deviceId(), () -> store.declareGap(gap, clock.instant()));
        if (written.refusal() != null) {
            return written.refusal();
        }
        IngestAck ack = written.ack();
        noteBacklog(admission);
        long lost = Math.max(0, ack.ackedSeq() - Math.max(before, gap.fromSeq() - 1));
        if (lost > 0) {
            gapsDeclared.increment();
            eventsDeclaredLost.add(lost);
            LOG.warn("datacenter: device {} declares {} {} events lost ({}..{}, reason {})", gap.deviceId(), lost,
                    gap.stream(), gap.fromSeq(), gap.toSeq(), gap.reason());
        }
        return HttpReply.json(200, JsonCodec.encodeString(ack));
    }

    private HttpReply gaps(HttpRequestView request, String deviceId) throws WireFormatException {
        return ownData(request, deviceId, () -> store.gaps(deviceId));
    }

    private HttpReply marks(HttpRequestView request, String deviceId) throws WireFormatException {
        return ownData(request, deviceId, () -> store.marks(deviceId));
    }

    /** A read of {@code deviceId}'s data, answered only to that device itself. */
    private HttpReply ownData(HttpRequestView request, String deviceId, java.util.function.Supplier<Object> read)
            throws WireFormatException {
        Admission admission = admit(request);
        if (admission.refusal() != null) {
            return admission.refusal();
        }
        Device device = admission.device();
        if (!deviceId.equals(device.id())) {
            return forbidden(request, device, deviceId);
        }
        noteBacklog(admission);
        return HttpReply.json(200, JsonCodec.encodeString(read.get()));
    }

    /** A store write that may find a gap. */
    private interface StoreWrite {
        IngestAck run() throws GapException;
    }

    /** The acknowledgement of a store write, or the reply refusing it. */
    private record Written(IngestAck ack, HttpReply refusal) {
    }

    /**
     * Runs a store write: a gap is a 409 carrying the center's mark; a store failure is counted,
     * logged (rate-limited) and a 503 asking the box to retry later.
     */
    private Written write(String what, String whatInReply, String deviceId, StoreWrite write) throws WireFormatException {
        try {
            return new Written(write.run(), null);
        } catch (GapException e) {
            gaps.increment();
            return new Written(null, HttpReply.json(409, JsonCodec.encodeString(new WireError("gap", e.getMessage(), e.ackedSeq()))));
        } catch (EventStoreException e) {
            storeFailures.increment();
            storeLog.acquire().ifPresent(n -> LOG.error("datacenter: cannot {} of device {}: {} ({} similar suppressed)",
                    what, deviceId, e.getMessage(), n));
            return new Written(null, error(503, "storage_unavailable", "the center cannot " + whatInReply + " right now; retry later")
                    .withHeader("Retry-After", "5"));
        }
    }

    private HttpReply health() throws WireFormatException {
        Instant now = clock.instant();
        return HttpReply.json(200, JsonCodec.encodeString(Map.of(
                "status", "ok",
                "time", now,
                "uptime", Duration.between(startedAt, now).toString(),
                "devices", devices.size(),
                "stats", stats(),
                "http", httpStats.get(),
                "queries", queryStats.get(),
                "longPolls", longPollStats.get(),
                "backlog", backlogHealth())));
    }

    /** What the boxes still have to send, city-wide, for health. */
    private Map<String, Object> backlogHealth() {
        BacklogBook.CityBacklog city = backlogs.city();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("devicesReporting", city.devicesReporting());
        out.put("devicesBehind", city.devicesBehind());
        out.put("eventsBehind", city.eventsBehind());
        out.put("oldestUnsentAt", city.oldestUnsentAt().orElse(null));
        out.put("reports", backlogs.reports());
        out.put("badReports", badBacklogs.sum());
        out.put("writeFailures", backlogs.writeFailures());
        return out;
    }

    /**
     * A request's device and the backlog it reported (if any), or the reply refusing the
     * request; exactly one of {@code device} and {@code refusal} is non-null.
     */
    record Admission(Device device, HttpReply refusal, Optional<Backlog> backlog) {
        Admission(Device device, HttpReply refusal) {
            this(device, refusal, Optional.empty());
        }
    }

    /** Keeps the backlog an admitted request reported as its device's latest. */
    void noteBacklog(Admission admission) {
        admission.backlog().ifPresent(b -> backlogs.report(admission.device().id(), b, clock.instant()));
    }

    /** Admits a device's request (token, not revoked, rate limit), for every device route, the downlink's too. */
    Admission admit(HttpRequestView request) throws WireFormatException {
        String header = request.header("Authorization");
        Optional<Device> found = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.empty()
                : devices.authenticate(header.substring(7).trim());
        if (found.isEmpty()) {
            return new Admission(null, unauthorized(request));
        }
        Device device = found.get();
        if (device.revoked()) {
            revoked.increment();
            refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: {} {} from {}: device {} is revoked ({} similar suppressed)",
                    request.method(), request.path(), request.remote(), device.id(), n));
            return new Admission(null, error(403, "revoked", "the token of device " + device.id()
                    + " was revoked on " + device.revokedAt().get() + "; provision the box again"));
        }
        Optional<Duration> wait = rateLimiter.acquire(device.id());
        if (wait.isPresent()) {
            throttled.increment();
            // Retry-After is whole seconds (RFC 9110 section 10.2.3); round up so the retry finds a token.
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: device {} exceeds its rate limit; asked to retry in {}s ({} similar suppressed)",
                    device.id(), seconds, n));
            return new Admission(null, error(429, "too_many_requests", "device " + device.id()
                    + " sends faster than its rate limit; retry after " + seconds + "s")
                    .withHeader("Retry-After", String.valueOf(seconds)));
        }
        devices.contacted(device, clock.instant());
        String reported = request.header(Backlog.HEADER);
        if (reported == null) {
            return new Admission(device, null);
        }
        try {
            return new Admission(device, null, Optional.of(BacklogHeader.decode(reported)));
        } catch (WireFormatException e) {
            badRequests.increment();
            badBacklogs.increment();
            refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: {} {} from device {} at {}: {} ({} similar suppressed)",
                    request.method(), request.path(), device.id(), request.remote(), e.getMessage(), n));
            return new Admission(null, error(400, "bad_request", e.getMessage()));
        }
    }

    private HttpReply unauthorized(HttpRequestView request) throws WireFormatException {
        authFailures.increment();
        boolean missing = request.header("Authorization") == null;
        refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: {} {} from {}: {} ({} similar suppressed)", request.method(),
                request.path(), request.remote(), missing ? "no token" : "unknown token", n));
        return error(401, "unauthorized", missing ? "an Authorization: Bearer <device token> header is required"
                : "the token is not valid for any device").withHeader("WWW-Authenticate", "Bearer realm=\"campusedge\"");
    }

    HttpReply forbidden(HttpRequestView request, Device device, String target) throws WireFormatException {
        forbidden.increment();
        refusalLog.acquire().ifPresent(n -> LOG.warn("datacenter: device {} at {} asked for device {}'s data ({} similar suppressed)",
                device.id(), request.remote(), target, n));
        return error(403, "forbidden", "the token of device " + device.id() + " does not allow access to device " + target);
    }

    private static HttpReply error(int status, String code, String message) throws WireFormatException {
        return HttpReply.json(status, JsonCodec.encodeString(WireError.of(code, message)));
    }

    /** One INFO line per second at most, summing up what was accepted since the last one. */
    private void summarise(IngestAck ack) {
        synchronized (summaryDevices) {
            summaryBatches++;
            summaryStored += ack.stored();
            summaryDuplicates += ack.duplicates();
            summaryDevices.add(ack.deviceId());
            if (summaryLog.acquire().isEmpty()) {
                return;
            }
            LOG.info("datacenter: accepted {} batch(es) from {}: {} events stored, {} duplicates",
                    summaryBatches, summaryDevices.size() <= 3 ? summaryDevices : summaryDevices.size() + " devices",
                    summaryStored, summaryDuplicates);
            summaryBatches = 0;
            summaryStored = 0;
            summaryDuplicates = 0;
            summaryDevices.clear();
        }
    }
}
