package org.campusedge.sync.center;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import org.campusedge.sync.wire.IsoInstant;
import org.campusedge.sync.wire.JsonText;
import org.campusedge.sync.wire.WireEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The {@code events} column of SQLite's {@code event_blocks}: a block's events as one JSON
 * array, each event {@code [type, room or null, occurred_at, payload]} with the box time in the
 * store's nine-digit text form and the payload as the box sent it, so SQLite's own
 * {@code json_each} can unnest it (the {@code events} view does) and this class can hand each
 * payload back byte for byte, as the slice of the stored text it is. Stateless.
 */
final class SqliteBlocks {

    /** Lenient about raw control characters in strings: a payload comes back as stored, whatever it holds. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    /** Receives a block's events in seq order. */
    interface EventSink {
        void event(int index, String type, String room, Instant occurredAt, String payload) throws SQLException;
    }

    private SqliteBlocks() {
    }

    /** Names as a JSON array of strings: a block's distinct {@code types} and {@code rooms} columns. */
    static String names(Collection<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (String n : names) {
            JsonText.quote(b.length() > 1 ? b.append(',') : b, n);
        }
        return b.append(']').toString();
    }

    /** {@code events[from..to)} as the column's JSON text. */
    static String encode(List<WireEvent> events, int from, int to) {
        int size = 2;
        for (int i = from; i < to; i++) {
            size += events.get(i).payloadJson().length() + 80;
        }
        StringBuilder b = new StringBuilder(size).append('[');
        for (int i = from; i < to; i++) {
            WireEvent e = events.get(i);
            b.append(i == from ? "[" : ",[");
            JsonText.quote(b, e.type()).append(',');
            if (e.room() == null) {
                b.append("null");
            } else {
                JsonText.quote(b, e.room());
            }
            IsoInstant.appendNanos(b.append(",\""), e.occurredAt()).append("\",").append(e.payloadJson()).append(']');
        }
        return b.append(']').toString();
    }

    /**
     * Reads a column written by {@link #encode} (or by migration 5 from older rows).
     *
     * @throws SQLException if the text is not such an array
     */
    static void decode(byte[] json, EventSink sink) throws SQLException {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            int index = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
                expect(t, JsonToken.START_ARRAY);
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                String type = p.getText();
                JsonToken roomToken = p.nextToken();
                String room = roomToken == JsonToken.VALUE_NULL ? null : p.getText();
                expect(p.nextToken(), JsonToken.VALUE_STRING);
                Instant at = IsoInstant.parse(p.getText());
                expect(p.nextToken(), JsonToken.START_OBJECT);
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                expect(p.nextToken(), JsonToken.END_ARRAY);
                sink.event(index, type, room, at, new String(json, start, end - start, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            throw new SQLException("a stored block of events is not what this build writes: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
