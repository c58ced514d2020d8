package org.campusedge.sync.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * JSON and gzip for the sync protocol (see {@code package-info.java} for the format), with one
 * configured {@link ObjectMapper}: instants as ISO-8601 strings, unknown fields ignored (a newer
 * peer may add some), missing fields rejected, and {@link WireEvent#payloadJson()} embedded as
 * a raw JSON object rather than a quoted string (read back as the sender's text without
 * insignificant whitespace, see {@link IngestBatchDecoder}). Decoding failures are
 * {@link WireFormatException}s whose message names the field, e.g.
 * {@code events[3].payload: must be a JSON object}.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("campusedge-wire")
                    .addSerializer(WireEvent.class, new WireEventSerializer())
                    .addDeserializer(IngestBatch.class, new IngestBatchDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            // Keeps decimals in payloads exact, 1.50 stays 1.50 (no trip through double).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonCodec() {
    }

    /** The shared mapper, for callers that need trees or custom types. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A parser of {@code json} with the mapper's settings but without its duplicate-field check, for
     * {@link IngestBatchDecoder}, which does that check itself at less cost per field.
     */
    static JsonParser parserWithoutDuplicateCheck(byte[] json) throws IOException {
        JsonParser p = MAPPER.getFactory().createParser(json);
        // Before the first token, so no context holds a detector. (A parser from an ObjectReader
        // built "without" the feature reports it off yet still checks, in Jackson 2.20.)
        p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return p;
    }

    /** Serialises {@code value} as UTF-8 JSON. */
    public static byte[] encode(Object value) throws WireFormatException {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("cannot encode " + value.getClass().getSimpleName() + ": " + describe(e), e);
        }
    }

    /** Serialises {@code value} as a JSON string. */
    public static String encodeString(Object value) throws WireFormatException {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    /** Parses UTF-8 JSON into {@code type}, validating it (records validate themselves). */
    public static <T> T decode(byte[] json, Class<T> type) throws WireFormatException {
        if (type == IngestBatch.class) {
            return type.cast(IngestBatchDecoder.decode(json));
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new WireFormatException("expected a JSON object, got null", null);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new WireFormatException(describe(e), e);
        } catch (IOException e) {
            throw new WireFormatException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Parses JSON text into {@code type}. */
    public static <T> T decode(String json, Class<T> type) throws WireFormatException {
        return decode(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** Compresses {@code data} with gzip (RFC 1952). */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Decompresses gzip data, refusing to inflate past {@code maxBytes} (a gzip bomb stops there). */
    public static byte[] gunzip(byte[] data, int maxBytes) throws WireFormatException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            byte[] out = in.readNBytes(maxBytes);
            if (in.read() != -1) {
                throw new WireFormatException("gzip data inflates past " + maxBytes + " bytes", null);
            }
            return out;
        } catch (IOException e) {
            throw new WireFormatException("not valid gzip data: " + e.getMessage(), e);
        }
    }

    /** A one-line reason with the JSON path of the offending field, e.g. {@code events[2].seq: ...}. */
    static String describe(JsonProcessingException e) {
        String reason;
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            reason = e.getCause().getMessage();
        } else {
            reason = e.getOriginalMessage();
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            if (path.length() > 0) {
                return path + ": " + reason;
            }
        }
        return reason;
    }

    /** Writes a {@link WireEvent} with its payload inline: {@code "payload":{"door":"lab-2"}}. */
    private static final class WireEventSerializer extends StdSerializer<WireEvent> {
        private static final long serialVersionUID = 1L;

        WireEventSerializer() {
            super(WireEvent.class);
        }

        @Override
        public void serialize(WireEvent e, JsonGenerator g, SerializerProvider provider) throws IOException {
            String payload = e.payloadJson().strip();
            // The box carries payloads verbatim and never re-parses them; this cheap check keeps a
            // corrupt one from producing an unparseable batch.
            if (!payload.startsWith("{") || !payload.endsWith("}")) {
                throw JsonMappingException.from(provider, "event seq " + e.seq() + ": payloadJson must be a JSON object");
            }
            g.writeStartObject();
            g.writeNumberField("seq", e.seq());
            g.writeStringField("type", e.type());
            g.writeStringField("occurredAt", e.occurredAt().toString());
            g.writeFieldName("payload");
            g.writeRawValue(payload);
            g.writeEndObject();
        }
    }

    /**
     * Reads an {@link IngestBatch} for callers of {@link #mapper()}; {@link #decode(byte[], Class)}
     * reads one straight from its bytes instead, which is cheaper (see {@link IngestBatchDecoder}).
     */
    private static final class IngestBatchDeserializer extends StdDeserializer<IngestBatch> {
        private static final long serialVersionUID = 1L;

        IngestBatchDeserializer() {
            super(IngestBatch.class);
        }

        @Override
        public IngestBatch deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                throw MismatchedInputException.from(p, IngestBatch.class, "a batch must be a JSON object");
            }
            return IngestBatchDecoder.read(p);
        }
    }
}
