package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.sync.downlink.CardsCsv;
import org.campusedge.sync.downlink.CardsCsvException;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.downlink.DownlinkEdit;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.downlink.DownlinkValues;
import org.campusedge.sync.downlink.PolicyYaml;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.WireError;
import org.campusedge.sync.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The downlink's HTTP routes (see README "Downlink"):
 * <ul>
 *   <li>{@code GET /v1/devices/{id}/downlink?since=V&wait=S}: a box's delta after the version it
 *       runs ({@code since}, recorded as its running version), its school's and its own items;
 *       device token, own device only. With {@code wait} it long-polls up to that many seconds
 *       (capped by {@code downlink.max-wait}) for a change.</li>
 *   <li>Management, with the admin token of {@code downlink.admin-token-file}, scope
 *       {@code schools/NAME} or {@code devices/ID}: {@code GET /v1/downlink/status},
 *       {@code GET /v1/downlink/{scope}}, {@code PUT|DELETE /v1/downlink/{scope}/{kind}/{key}},
 *       {@code POST /v1/downlink/{scope}/cards} (CSV) and {@code POST /v1/downlink/{scope}/policy}
 *       (YAML), both with {@code ?replace=true} to replace the kinds the body holds.</li>
 * </ul>
 *
 * <p>A long-poll that finds nothing new holds no thread: it is parked in {@link ParkedPolls}
 * (at most {@code downlink.max-parked-polls}; beyond that 503 with {@code Retry-After}) and
 * answered when a write concerns it (this process's writes wake it at once, the CLI's within a
 * second), when its wait is up, or at shutdown. A box polling again replaces its own parked poll;
 * closing the connection frees the slot.
 *
 * <p>Thread-safe: routes run concurrently on the server's workers.
 */
final class DownlinkApi {

    private static final Logger LOG = LoggerFactory.getLogger(DataCenter.class);

    private final DownlinkStore store;
    private final IngestApi devices;
    private final DeviceStore registry;
    private final DataCenterConfig.Downlink config;
    private final Clock clock;
    /** How long a box refused for want of a long-poll slot is asked to wait. */
    private static final Duration RETRY_AFTER_FULL = Duration.ofSeconds(5);

    private final ParkedPolls parked;
    private final Map<String, Long> reported = new java.util.concurrent.ConcurrentHashMap<>();
    private final LongAdder badRequests = new LongAdder();

    DownlinkApi(DownlinkStore store, IngestApi devices, DeviceStore registry, DataCenterConfig.Downlink config, Clock clock) {
        this.store = store;
        this.devices = devices;
        this.registry = registry;
        this.config = config;
        this.clock = clock;
        this.parked = new ParkedPolls(config.maxParkedPolls(), store::version, new ParkedPolls.Answer() {
            @Override
            public Optional<HttpReply> ifChanged(ParkedPolls.Poll poll) {
                DownlinkDelta delta = store.since(poll.scopes(), poll.since());
                return delta.empty() ? Optional.empty() : Optional.of(reply(delta));
            }

            @Override
            public HttpReply now(ParkedPolls.Poll poll) {
                return reply(store.since(poll.scopes(), poll.since()));
            }
        });
    }

    private static HttpReply reply(DownlinkDelta delta) {
        try {
            return HttpReply.json(200, JsonCodec.encodeString(delta));
        } catch (WireFormatException e) {
            throw new IllegalStateException("cannot encode a downlink delta: " + e.getMessage(), e);
        }
    }

    Router register(Router router) {
        return router
                .deferred("GET", "/v1/devices/{id}/downlink", (request, p) -> fetch(request, p.get("id")))
                .get("/v1/downlink/status", (request, p) -> admin(request, this::status))
                .get("/v1/downlink/{type}/{scope}", (request, p) -> admin(request, () -> list(request, scope(p))))
                .post("/v1/downlink/{type}/{scope}/cards", (request, p) -> admin(request, () -> cards(request, scope(p))))
                .post("/v1/downlink/{type}/{scope}/policy", (request, p) -> admin(request, () -> policy(request, scope(p))))
                .route("PUT", "/v1/downlink/{type}/{scope}/{kind}/{key}", (request, p) -> admin(request, () -> put(request, p)))
                .route("DELETE", "/v1/downlink/{type}/{scope}/{kind}/{key}", (request, p) -> admin(request, () -> delete(p)));
    }

    private CompletableFuture<HttpReply> fetch(HttpRequestView request, String deviceId) throws Exception {
        IngestApi.Admission admission = devices.admit(request);
        if (admission.refusal() != null) {
            return CompletableFuture.completedFuture(admission.refusal());
        }
        Device device = admission.device();
        if (!device.id().equals(deviceId)) {
            return CompletableFuture.completedFuture(devices.forbidden(request, device, deviceId));
        }
        devices.noteBacklog(admission);
        long since;
        long waitSeconds;
        try {
            since = Long.parseLong(request.queryParam("since").orElse("0"));
            waitSeconds = Long.parseLong(request.queryParam("wait").orElse("0"));
            if (since < 0 || waitSeconds < 0) {
                throw new NumberFormatException("negative");
            }
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(bad("since and wait must be whole numbers >= 0"));
        }
        noteRunning(device.id(), since);
        List<DownlinkScope> scopes = DownlinkScope.ofBox(device.school(), device.id());
        DownlinkDelta delta = store.since(scopes, since);
        Duration wait = Duration.ofSeconds(Math.min(waitSeconds, config.maxWait().toSeconds()));
        if (!delta.empty() || wait.isZero()) {
            return CompletableFuture.completedFuture(reply(delta));
        }
        Optional<CompletableFuture<HttpReply>> later = parked.park(new ParkedPolls.Poll(device.id(), scopes, since), delta.version(), wait);
        if (later.isPresent()) {
            return later.get();
        }
        LOG.debug("datacenter: device {}: every long-poll slot is taken; answered at once", device.id());
        return CompletableFuture.completedFuture(error(503, "too_many_polls", "the center holds as many long-polls as it may ("
                + config.maxParkedPolls() + "); poll again later").withHeader("Retry-After", String.valueOf(RETRY_AFTER_FULL.toSeconds())));
    }

    /** The long-polls' counters, for health and the downlink status. */
    ParkedPolls.Stats pollStats() {
        return parked.stats();
    }

    /** Records a box's running version when it changes (a poll that only repeats it writes nothing). */
    private void noteRunning(String deviceId, long version) {
        Long before = reported.put(deviceId, version);
        if (before == null || before != version) {
            store.reportRunning(deviceId, version, clock.instant());
            if (before != null) {
                LOG.info("datacenter: device {} runs downlink version {}", deviceId, version);
            }
        }
    }

    private HttpReply status() throws WireFormatException {
        long version = store.version();
        Map<String, DownlinkStore.Running> running = new LinkedHashMap<>();
        store.running().forEach(r -> running.put(r.deviceId(), r));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RegisteredDevice d : registry.list()) {
            DownlinkStore.Running r = running.get(d.id());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("device", d.id());
            row.put("school", d.school());
            row.put("runningVersion", r == null ? null : r.version());
            row.put("reportedAt", r == null ? null : r.reportedAt());
            row.put("current", r != null && r.version() >= version);
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("compactedVersion", store.compactedVersion());
        body.put("devices", rows);
        body.put("badRequests", badRequests.sum());
        body.put("longPolls", parked.stats());
        return HttpReply.json(200, JsonCodec.encodeString(body));
    }

    private HttpReply list(HttpRequestView request, DownlinkScope scope) throws WireFormatException {
        Optional<DownlinkKind> kind = Optional.empty();
        if (request.queryParam("kind").isPresent()) {
            kind = DownlinkKind.fromWireName(request.queryParam("kind").get());
            if (kind.isEmpty()) {
                return bad("kind must be one of " + DownlinkKind.wireNames());
            }
        }
        return HttpReply.json(200, JsonCodec.encodeString(Map.of("scope", scope.text(), "version", store.version(),
                "items", store.items(scope, kind))));
    }

    private HttpReply put(HttpRequestView request, Map<String, String> p) throws WireFormatException {
        DownlinkScope scope = scope(p);
        DownlinkKind kind = kind(p.get("kind"));
        JsonNode value;
        try {
            value = JsonCodec.mapper().readTree(request.body());
        } catch (IOException e) {
            return bad("the body must be the item's JSON value: " + e.getMessage());
        }
        return written(store.apply(scope, List.of(DownlinkValues.put(kind, p.get("key"), value)), Set.of(), clock.instant()));
    }

    private HttpReply delete(Map<String, String> p) throws WireFormatException {
        DownlinkKind kind = kind(p.get("kind"));
        String key = kind == DownlinkKind.CARD ? p.get("key").strip().toUpperCase(java.util.Locale.ROOT) : p.get("key");
        return written(store.apply(scope(p), List.of(DownlinkEdit.remove(kind, key)), Set.of(), clock.instant()));
    }

    private HttpReply cards(HttpRequestView request, DownlinkScope scope) throws Exception {
        List<CardsCsv.Row> rows;
        try {
            rows = CardsCsv.read(new StringReader(request.bodyText()), "body", r -> true, "any");
        } catch (CardsCsvException e) {
            return bad(e.getMessage());
        }
        List<DownlinkEdit> edits = new ArrayList<>(rows.size());
        rows.forEach(r -> edits.add(DownlinkValues.putValue(DownlinkKind.CARD, r.cardId(), r.grant())));
        boolean replace = request.queryParam("replace").map(Boolean::parseBoolean).orElse(false);
        return written(store.apply(scope, edits, replace ? EnumSet.of(DownlinkKind.CARD) : Set.of(), clock.instant()));
    }

    private HttpReply policy(HttpRequestView request, DownlinkScope scope) throws WireFormatException {
        PolicyYaml.Parsed parsed = PolicyYaml.parse(request.bodyText(), "body");
        boolean replace = request.queryParam("replace").map(Boolean::parseBoolean).orElse(false);
        return written(store.apply(scope, parsed.edits(), replace ? parsed.kinds() : Set.of(), clock.instant()));
    }

    /** Ends every long-poll now (each answers what it has); called before the server stops. */
    void close() {
        parked.close();
    }

    private HttpReply written(DownlinkStore.Written w) throws WireFormatException {
        if (w.changed() > 0) {
            parked.changed();
            store.compact(clock.instant().minus(config.keepRemoved()));
        }
        return HttpReply.json(200, JsonCodec.encodeString(Map.of("version", w.version(), "changed", w.changed())));
    }

    private interface Management {
        HttpReply run() throws Exception;
    }

    /** Runs a management request if it carries the admin token; a bad value or scope is a 400. */
    private HttpReply admin(HttpRequestView request, Management m) throws Exception {
        if (config.adminToken().isEmpty()) {
            return error(403, "forbidden", "downlink management over HTTP is off: set downlink.admin-token-file in the data center's configuration");
        }
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || !config.adminToken().get().matches(header.substring(7).trim())) {
            return error(401, "unauthorized", "an Authorization: Bearer <admin token> header is required")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"campusedge-admin\"");
        }
        try {
            return m.run();
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
    }

    private static DownlinkScope scope(Map<String, String> p) {
        return switch (p.get("type")) {
            case "schools" -> DownlinkScope.school(p.get("scope"));
            case "devices" -> DownlinkScope.device(p.get("scope"));
            default -> throw new IllegalArgumentException("a scope is schools/NAME or devices/ID, got " + p.get("type"));
        };
    }

    private static DownlinkKind kind(String name) {
        return DownlinkKind.fromWireName(name).orElseThrow(() ->
                new IllegalArgumentException("kind must be one of " + DownlinkKind.wireNames() + ", got \"" + name + "\""));
    }

    private HttpReply bad(String message) throws WireFormatException {
        badRequests.increment();
        return error(400, "bad_request", message);
    }

    private static HttpReply error(int status, String code, String message) throws WireFormatException {
        return HttpReply.json(status, JsonCodec.encodeString(WireError.of(code, message)));
    }
}
