package org.campusedge.agent.sensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns an MQTT message (topic, payload bytes, receive time) into sensor events or a rejection
 * with a {@link RejectReason}. Never throws on any topic or payload: every failure is a
 * rejection, counted per reason and logged at most once per topic per minute.
 *
 * <p>A flat JSON object read by top-level field names — Zigbee2MQTT's, a plain JSON sensor's — is
 * read straight from the bytes ({@link FlatJson}); anything else, and anything that reader is
 * not sure of, through Jackson's tree, which has the last word on what is malformed.
 *
 * <p>Imports no MQTT client types: it is testable with nothing but strings and bytes. Decoding
 * is stateless apart from the counters and the log limiter, which are thread-safe; in the agent
 * it runs on the single MQTT ingest thread.
 */
public final class ReadingDecoder {

    /** Default payload limit: sensor telemetry is a few hundred bytes; 4 KiB leaves room. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ReadingDecoder.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    /** Bounds the limiter's memory under a flood of distinct bad topics. */
    private static final int MAX_LOGGED_TOPICS = 10_000;
    /** NaN and Infinity parse so they are reported as NOT_FINITE, not as malformed JSON. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final List<SensorMapping> readings;
    private final List<AvailabilityMapping> availability;
    private final int maxPayloadBytes;
    /** Whether flat JSON payloads are read with {@link FlatJson} (else always with Jackson's tree). */
    private final boolean flatScan;
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

    public ReadingDecoder(List<SensorMapping> readings, List<AvailabilityMapping> availability, int maxPayloadBytes) {
        this(readings, availability, maxPayloadBytes, true);
    }

    /** With {@code flatScan} false every JSON payload goes through Jackson's tree: what the fast path is checked against. */
    ReadingDecoder(List<SensorMapping> readings, List<AvailabilityMapping> availability, int maxPayloadBytes, boolean flatScan) {
        this.flatScan = flatScan;
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        this.readings = List.copyOf(readings);
        this.availability = List.copyOf(availability);
        this.maxPayloadBytes = maxPayloadBytes;
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    public ReadingDecoder(List<SensorMapping> readings, List<AvailabilityMapping> availability) {
        this(readings, availability, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /** How many messages or fields were rejected for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejected.get(reason).sum();
    }

    /**
     * Which mappings a topic matches, with their wildcard captures. A school's sensors publish on a
     * fixed set of topics, so this is computed once per topic, not once per message.
     */
    private record Route(List<SensorMapping> readings, List<List<String>> captures, List<String> rooms,
                         List<String> sensors, Optional<AvailabilityMapping> availability, List<String> availabilityCapture,
                         boolean json, byte[][] flatKeys, Metric[] metrics) {
    }

    /**
     * For mappings that read only top-level JSON fields with plain names, each one's field name
     * (null for a mapping that reads the whole payload), for {@link FlatJson}; null if any reads
     * a deeper path.
     */
    private static byte[][] flatKeys(List<SensorMapping> mappings) {
        byte[][] keys = new byte[mappings.size()][];
        for (int i = 0; i < keys.length; i++) {
            Optional<String> path = mappings.get(i).jsonPath();
            if (path.isPresent()) {
                if (path.get().indexOf('.') >= 0 || !FlatJson.plainKey(path.get())) {
                    return null;
                }
                keys[i] = path.get().getBytes(StandardCharsets.US_ASCII);
            }
        }
        return keys;
    }

    /** Bounds the route cache under a flood of distinct topics; cleared wholesale when full. */
    private static final int MAX_CACHED_ROUTES = 8_192;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    private Route route(String topic) {
        Route cached = routes.get(topic);
        if (cached != null) {
            return cached;
        }
        List<SensorMapping> matchingReadings = new ArrayList<>();
        List<List<String>> readingCaptures = new ArrayList<>();
        for (SensorMapping m : readings) {
            m.filter().capture(topic).ifPresent(c -> {
                matchingReadings.add(m);
                readingCaptures.add(c);
            });
        }
        Optional<AvailabilityMapping> avail = Optional.empty();
        List<String> availCapture = List.of();
        for (AvailabilityMapping a : availability) {
            Optional<List<String>> c = a.filter().capture(topic);
            if (c.isPresent()) {
                avail = Optional.of(a);
                availCapture = c.get();
                break;
            }
        }
        List<String> rooms = new ArrayList<>();
        List<String> sensors = new ArrayList<>();
        for (int i = 0; i < matchingReadings.size(); i++) {
            rooms.add(SensorMapping.expand(matchingReadings.get(i).room(), readingCaptures.get(i)));
            sensors.add(SensorMapping.expand(matchingReadings.get(i).sensor(), readingCaptures.get(i)));
        }
        Route r = new Route(List.copyOf(matchingReadings), List.copyOf(readingCaptures), List.copyOf(rooms),
                List.copyOf(sensors), avail, availCapture, matchingReadings.stream().anyMatch(m -> m.jsonPath().isPresent()),
                flatScan ? flatKeys(matchingReadings) : null, matchingReadings.stream().map(SensorMapping::metric).toArray(Metric[]::new));
        if (routes.size() >= MAX_CACHED_ROUTES) {
            routes.clear();
        }
        routes.put(topic, r);
        return r;
    }

    /** Decodes one message. Never throws. */
    public DecodeResult decode(String topic, byte[] payload, Instant receivedAt) {
        String safeTopic = topic == null ? "" : topic;
        Route route = route(safeTopic);
        List<SensorMapping> matchingReadings = route.readings();
        List<List<String>> readingCaptures = route.captures();
        Optional<AvailabilityMapping> avail = route.availability();
        List<String> availCapture = route.availabilityCapture();
        if (matchingReadings.isEmpty() && avail.isEmpty()) {
            return reject(safeTopic, RejectReason.UNKNOWN_TOPIC, "no sensor mapping matches", receivedAt);
        }
        byte[] bytes = payload == null ? new byte[0] : payload;
        // Checked before any decoding so a huge payload costs nothing but this comparison.
        if (bytes.length > maxPayloadBytes) {
            return reject(safeTopic, RejectReason.OVERSIZE, bytes.length + " bytes, limit " + maxPayloadBytes, receivedAt);
        }
        if (!ascii(bytes) && !validUtf8(bytes)) {
            return reject(safeTopic, RejectReason.INVALID_UTF8, "payload is not UTF-8", receivedAt);
        }
        if (avail.isPresent()) {
            return availability(safeTopic, new String(bytes, StandardCharsets.UTF_8), avail.get(), availCapture, receivedAt);
        }
        return readings(safeTopic, bytes, route, receivedAt);
    }

    /** Sensor payloads are nearly always plain ASCII: checked byte by byte, no decoder needed. */
    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8 (no malformed or overlong sequences, no surrogates), for the rare non-ASCII payload. */
    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private DecodeResult readings(String topic, byte[] bytes, Route route, Instant at) {
        List<SensorMapping> mappings = route.readings();
        JsonNode json = null;
        String text = null;
        PayloadValue.Result[] flat = route.json() && route.flatKeys() != null
                ? FlatJson.values(bytes, route.flatKeys(), route.metrics()) : null;
        if (route.json() && flat == null) {
            try {
                // Parsed from the bytes (validated above): no String in between.
                json = JSON.readTree(bytes);
            } catch (JacksonException e) {
                return reject(topic, RejectReason.MALFORMED_JSON, "payload is not JSON: " + e.getOriginalMessage(), at);
            } catch (IOException e) {
                // A byte array has no I/O to fail; said plainly should the parser ever claim otherwise.
                return reject(topic, RejectReason.MALFORMED_JSON, "payload could not be read: " + e.getMessage(), at);
            }
            if (json == null || json.isMissingNode()) {
                return reject(topic, RejectReason.MALFORMED_JSON, "payload is empty", at);
            }
        }
        List<SensorEvent> events = new ArrayList<>(mappings.size());
        List<DecodeResult.Rejection> failures = new ArrayList<>(0);
        for (int i = 0; i < mappings.size(); i++) {
            SensorMapping m = mappings.get(i);
            PayloadValue.Result r;
            if (m.jsonPath().isPresent()) {
                r = flat != null ? flat[i] : fromTree(json, m);
                if (r == null) {
                    if (!m.optional()) {
                        failures.add(new DecodeResult.Rejection(topic, RejectReason.MISSING_FIELD,
                                "no field " + m.jsonPath().get()));
                    }
                    continue;
                }
            } else {
                if (text == null) {
                    text = new String(bytes, StandardCharsets.UTF_8);
                }
                r = PayloadValue.fromText(text, m.metric());
            }
            if (r.ok()) {
                double v = r.value() * m.scale();
                if (!Double.isFinite(v)) {
                    r = PayloadValue.Result.fail(RejectReason.NOT_FINITE, "scaled value overflows");
                } else if (!m.metric().inRange(v)) {
                    r = PayloadValue.Result.fail(RejectReason.OUT_OF_RANGE, m.metric().wireName() + " " + v
                            + " outside " + m.metric().min() + ".." + m.metric().max());
                } else {
                    double value = m.invert() ? 1 - v : v;
                    events.add(new SensorEvent.Reading(route.rooms().get(i), route.sensors().get(i), m.metric(), value,
                            m.unit(), topic, at));
                    continue;
                }
            }
            String field = m.jsonPath().map(p -> p + ": ").orElse("");
            failures.add(new DecodeResult.Rejection(topic, r.reason(), field + r.detail()));
        }
        if (events.isEmpty()) {
            DecodeResult.Rejection first = failures.isEmpty()
                    ? new DecodeResult.Rejection(topic, RejectReason.MISSING_FIELD, "none of the mapped fields is present")
                    : failures.get(0);
            return reject(topic, first.reason(), first.detail(), at);
        }
        for (DecodeResult.Rejection f : failures) {
            count(f, at);
        }
        // Nearly every message is one reading and no rejected field: immutable from the start,
        // so the record's defensive copies copy nothing.
        return new DecodeResult.Decoded(events.size() == 1 ? List.of(events.get(0)) : events,
                failures.isEmpty() ? List.of() : failures);
    }

    /** The value of {@code m}'s field in the tree; null when absent or JSON null. */
    private static PayloadValue.Result fromTree(JsonNode json, SensorMapping m) {
        JsonNode node = at(json, m.jsonPath().orElseThrow());
        return node == null ? null : PayloadValue.fromJson(node, m.metric());
    }

    private DecodeResult availability(String topic, String text, AvailabilityMapping a, List<String> captured, Instant at) {
        String state = text.trim();
        if (state.startsWith("{")) {
            // Zigbee2MQTT's JSON availability: {"state":"online"}.
            try {
                JsonNode node = JSON.readTree(state).get("state");
                if (node == null || !node.isValueNode() || node.isNull()) {
                    return reject(topic, RejectReason.MISSING_FIELD, "no field state", at);
                }
                state = node.asText().trim();
            } catch (JacksonException e) {
                return reject(topic, RejectReason.MALFORMED_JSON, "payload is not JSON: " + e.getOriginalMessage(), at);
            }
        }
        if (state.isEmpty()) {
            // An empty retained message clears the topic; it states nothing.
            return reject(topic, RejectReason.MISSING_FIELD, "empty availability payload", at);
        }
        return new DecodeResult.Decoded(List.of(new SensorEvent.Availability(SensorMapping.expand(a.room(), captured),
                SensorMapping.expand(a.sensor(), captured), AvailabilityMapping.online(state),
                PayloadValue.abbreviate(state), topic, at)), List.of());
    }

    /** Follows a dot path; a numeric segment indexes a list. Null means absent (JSON null counts as absent). */
    private static final Map<String, String[]> SPLIT_PATHS = new ConcurrentHashMap<>();

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String seg : SPLIT_PATHS.computeIfAbsent(path, p -> p.split("\\."))) {
            if (node == null) {
                return null;
            }
            if (node.isArray() && seg.chars().allMatch(Character::isDigit) && seg.length() < 10) {
                node = node.get(Integer.parseInt(seg));
            } else if (node.isObject()) {
                node = node.get(seg);
            } else {
                return null;
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    private DecodeResult reject(String topic, RejectReason reason, String detail, Instant at) {
        DecodeResult.Rejection r = new DecodeResult.Rejection(topic, reason, detail);
        count(r, at);
        return new DecodeResult.Rejected(r);
    }

    private void count(DecodeResult.Rejection r, Instant at) {
        rejected.get(r.reason()).increment();
        Instant now = at == null ? Instant.now() : at;
        if (lastLogged.size() > MAX_LOGGED_TOPICS) {
            lastLogged.clear();
        }
        Instant[] logIt = new Instant[1];
        lastLogged.compute(r.topic(), (k, last) -> {
            if (last == null || !now.isBefore(last.plus(LOG_INTERVAL))) {
                logIt[0] = now;
                return now;
            }
            return last;
        });
        if (logIt[0] != null) {
            LOG.warn("MQTT message on topic {} rejected: {} ({}); further rejections on this topic are counted, "
                    + "logged at most once a minute", PayloadValue.abbreviate(r.topic()), r.reason(), r.detail());
        }
    }
}
