package org.campusedge.sync.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@link IngestBatch} with Jackson's streaming parser, the data center's hottest path.
 * Each event's {@code payload} is checked to be a well-formed JSON object (by the parser, with
 * its nesting-depth and number-syntax rules, and here for duplicate field names, see
 * {@link FieldNames}) and then taken as the raw UTF-8 slice of the request, whitespace between
 * tokens removed, instead of being built as a tree and serialised again. The same walk picks up
 * the payload's top-level {@code room} string for {@link WireEvent#room()}, so the stores need
 * not parse the payload again. Field names, types and values are checked as {@link JsonCodec}
 * documents; failures are {@link WireFormatException}s whose message starts with the JSON path,
 * e.g. {@code events[3].payload: must be a JSON object}.
 *
 * <p>An instance reads one batch on the calling thread; the static entry points are thread-safe.
 */
final class IngestBatchDecoder {

    /** Presizes the event list from fromSeq..toSeq up to this many, so a batch that lies about its range costs little. */
    private static final int MAX_PRESIZE = 4_096;

    private final JsonParser p;
    /** The request body, whose payload bytes are sliced; null when the parser reads from elsewhere and payloads are copied. */
    private final byte[] source;
    private final Path at;
    private final FieldNames names = new FieldNames();
    /** The top-level room string of the payload just walked, or null. */
    private String room;
    /** The last event type read: a batch repeats a few types, so most events share a String instead of copying one. */
    private String lastType = "";
    /** The parser's current string token, read in place. */
    private final ParserText text = new ParserText();

    private IngestBatchDecoder(JsonParser p, byte[] source, Path at) {
        this.p = p;
        this.source = source;
        this.at = at;
    }

    /** Decodes a whole request body: one batch object and nothing after it. */
    static IngestBatch decode(byte[] json) throws WireFormatException {
        Path at = new Path();
        // The parser leaves duplicate field names to this class (cheaper than its own check).
        try (JsonParser p = JsonCodec.parserWithoutDuplicateCheck(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new WireFormatException("expected a JSON object, got " + (first == null ? "nothing" : p.getText()), null);
            }
            IngestBatch batch = new IngestBatchDecoder(p, json, at).batch();
            if (p.nextToken() != null) {
                throw new WireFormatException("unexpected content after the batch object", null);
            }
            return batch;
        } catch (JsonProcessingException e) {
            throw new WireFormatException(at.prefix() + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new WireFormatException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a batch from a parser standing on its START_OBJECT, for mappers reading from a source
     * this class cannot slice; payloads are copied token by token (compact, no tree).
     */
    static IngestBatch read(JsonParser p) throws IOException {
        Path at = new Path();
        try {
            return new IngestBatchDecoder(p, null, at).batch();
        } catch (WireFormatException e) {
            throw new JsonBatchException(p, e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new JsonBatchException(p, at.prefix() + e.getOriginalMessage(), e);
        }
    }

    private IngestBatch batch() throws IOException, WireFormatException {
        String deviceId = null;
        String stream = null;
        Long fromSeq = null;
        Long toSeq = null;
        List<WireEvent> events = null;
        names.push();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = field();
            JsonToken value = p.nextToken();
            at.field = name;
            switch (name) {
                case "deviceId" -> deviceId = text(value, p, at);
                case "stream" -> stream = text(value, p, at);
                case "fromSeq" -> fromSeq = whole(value, p, at);
                case "toSeq" -> toSeq = whole(value, p, at);
                case "events" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw at.bad("must be an array of events");
                    }
                    events = new ArrayList<>(capacity(fromSeq, toSeq));
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        at.index = events.size();
                        events.add(event());
                        at.eventField = null;
                    }
                    at.index = -1;
                }
                default -> skip(); // a newer peer's field
            }
            at.field = null;
        }
        names.pop();
        if (fromSeq == null || toSeq == null || events == null) {
            throw new WireFormatException("missing field " + (fromSeq == null ? "fromSeq" : toSeq == null ? "toSeq" : "events")
                    + " of the batch", null);
        }
        try {
            return new IngestBatch(deviceId, stream, fromSeq, toSeq, events);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(e.getMessage(), e);
        }
    }

    /** Room for fromSeq..toSeq when those came before the events (as {@link JsonCodec} writes them), within reason. */
    private static int capacity(Long fromSeq, Long toSeq) {
        if (fromSeq == null || toSeq == null) {
            return 10;
        }
        long n = toSeq - fromSeq + 1;
        return n < 1 ? 10 : (int) Math.min(n, MAX_PRESIZE);
    }

    private WireEvent event() throws IOException, WireFormatException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw at.bad("an event must be a JSON object");
        }
        Long seq = null;
        String type = null;
        Instant occurredAt = null;
        String payload = null;
        String payloadRoom = null;
        names.push();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = field();
            JsonToken value = p.nextToken();
            at.eventField = name;
            switch (name) {
                case "seq" -> seq = whole(value, p, at);
                case "type" -> {
                    type = value == JsonToken.VALUE_STRING ? type() : null;
                    if (type == null || type.isBlank()) {
                        throw at.bad("must be a non-empty string");
                    }
                }
                case "occurredAt" -> occurredAt = instant(value);
                case "payload" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw at.bad("must be a JSON object");
                    }
                    payload = source == null ? copied() : rawSlice();
                    payloadRoom = room;
                }
                default -> skip();
            }
            at.eventField = null; // a duplicate name is the event's fault, not the previous field's
        }
        names.pop();
        at.eventField = seq == null ? "seq" : type == null ? "type" : occurredAt == null ? "occurredAt" : "payload";
        if (seq == null) {
            throw at.bad("must be a whole number");
        } else if (type == null) {
            throw at.bad("must be a non-empty string");
        } else if (occurredAt == null) {
            throw at.bad("must be an ISO-8601 instant such as 2025-03-01T08:15:30.250Z");
        } else if (payload == null) {
            throw at.bad("must be a JSON object");
        }
        at.eventField = null;
        try {
            return new WireEvent(seq, type, occurredAt, payload, payloadRoom);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(at.prefix() + e.getMessage(), e);
        }
    }

    /** The name of the FIELD_NAME the parser stands on, refused if its object already had it. */
    private String field() throws IOException, WireFormatException {
        String name = p.currentName();
        if (!names.add(name)) {
            throw at.bad("Duplicate field '" + name + "'"); // Jackson's words, which this check replaces
        }
        return name;
    }

    /** Skips the value the parser stands on, checking field names inside it as everywhere else. */
    private void skip() throws IOException, WireFormatException {
        if (p.currentToken().isStructStart()) {
            walk(false, null);
        }
    }

    /**
     * Tokenises, so validates, the object or array the parser stands on to its end, refusing a
     * field name given twice in one object; with {@code payload}, notes the object's top-level
     * {@code room} string in {@link #room} (null if none, as {@link PayloadRoom#of} reads it);
     * with {@code copy}, writes each token there.
     */
    private void walk(boolean payload, JsonGenerator copy) throws IOException, WireFormatException {
        room = null;
        int depth = 0;
        JsonToken t = p.currentToken();
        while (true) {
            if (copy != null) {
                copy(t, copy);
            }
            switch (t) {
                case START_OBJECT -> {
                    depth++;
                    names.push();
                }
                case END_OBJECT -> {
                    depth--;
                    names.pop();
                }
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    String name = field();
                    boolean roomValue = payload && depth == 1 && "room".equals(name);
                    t = next();
                    if (roomValue && t == JsonToken.VALUE_STRING) {
                        room = p.getText();
                    }
                    continue; // the field's value, still to copy and count
                }
                default -> {
                    // a scalar value
                }
            }
            if (depth == 0) {
                return;
            }
            t = next();
        }
    }

    private JsonToken next() throws IOException, WireFormatException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw at.bad("unexpected end of input"); // the parser reports this first; kept as a guard
        }
        return t;
    }

    private static String text(JsonToken value, JsonParser p, Path at) throws IOException, WireFormatException {
        if (value == JsonToken.VALUE_NULL) {
            return null; // the batch names the field in its own message
        }
        if (value != JsonToken.VALUE_STRING) {
            throw at.bad("must be a string");
        }
        return p.getText();
    }

    /** A whole number: an integer literal, or a decimal one with no fraction (1.0), as the tree decoder took. */
    private static long whole(JsonToken value, JsonParser p, Path at) throws IOException, WireFormatException {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal d = p.getDecimalValue();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWhole) {
                throw at.bad("must be a whole number");
            }
        }
        throw at.bad("must be a whole number");
    }

    private Instant instant(JsonToken value) throws IOException, WireFormatException {
        try {
            if (value == JsonToken.VALUE_STRING) {
                return IsoInstant.parse(text.current());
            }
        } catch (DateTimeParseException e) {
            // falls through to the one message
        }
        throw at.bad("must be an ISO-8601 instant such as 2025-03-01T08:15:30.250Z");
    }

    /** The string token the parser stands on, as the String of the last type when it has the same text. */
    private String type() throws IOException {
        CharSequence t = text.current();
        if (!lastType.contentEquals(t)) {
            lastType = t.toString();
        }
        return lastType;
    }

    /** The payload object's bytes as sent, whitespace between tokens dropped; the parser ends on its END_OBJECT. */
    private String rawSlice() throws IOException, WireFormatException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        walk(true, null);
        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
        if (start < 0 || end <= start || end > source.length || source[start] != '{' || source[end - 1] != '}') {
            throw new IllegalStateException("the parser reported payload offsets " + start + ".." + end + " it cannot have");
        }
        return CompactJson.compact(source, start, end);
    }

    /** The payload object re-emitted token by token, for sources without byte offsets. */
    private String copied() throws IOException, WireFormatException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonCodec.mapper().getFactory().createGenerator(out)) {
            walk(true, g);
        }
        return out.toString();
    }

    private void copy(JsonToken t, JsonGenerator g) throws IOException {
        if (t.isNumeric()) {
            g.writeNumber(p.getText()); // as written: 1.50 stays 1.50, no trip through double
        } else {
            g.copyCurrentEvent(p);
        }
    }

    /** The parser's current text token as a CharSequence over its own buffer, valid until the next token. */
    private final class ParserText implements CharSequence {
        private char[] chars;
        private int offset;
        private int length;

        CharSequence current() throws IOException {
            chars = p.getTextCharacters();
            offset = p.getTextOffset();
            length = p.getTextLength();
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return chars[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(chars, offset, length);
        }
    }

    /** Where the decoder is, for messages such as {@code events[3].payload: must be a JSON object}. */
    private static final class Path {
        String field;
        int index = -1;
        String eventField;

        String prefix() {
            if (field == null) {
                return "";
            }
            StringBuilder b = new StringBuilder(field);
            if (index >= 0) {
                b.append('[').append(index).append(']');
                if (eventField != null) {
                    b.append('.').append(eventField);
                }
            }
            return b.append(": ").toString();
        }

        WireFormatException bad(String reason) {
            return new WireFormatException(prefix() + reason, null);
        }
    }

    /** A {@link WireFormatException} carried through a Jackson mapper, which only lets its own exceptions out. */
    static final class JsonBatchException extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        JsonBatchException(JsonParser p, String message, Throwable cause) {
            super(message, p.currentLocation(), cause);
        }
    }
}
