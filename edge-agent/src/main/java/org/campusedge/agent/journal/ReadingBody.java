package org.campusedge.agent.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.campusedge.sync.wire.JsonText;

import java.io.IOException;
import java.util.Objects;

/**
 * The body of a {@code sensor.reading} event: one value of one metric of one sensor in a room.
 * Readings are most of what the journal takes in (tens of thousands a second), so their JSON is
 * written by hand and read with the streaming parser, never as a tree; and a committed reading
 * carries this decoded body along ({@link JournalEvent#reading()}), so the room state and the
 * aggregator need not read back the JSON that was just written.
 *
 * @param room   room id
 * @param sensor sensor id
 * @param metric metric wire name ({@code temperature}, {@code co2}, …)
 * @param unit   unit of {@code value}
 * @param value  the value, finite
 * @param topic  the MQTT topic it came from
 */
public record ReadingBody(String room, String sensor, String metric, String unit, double value, String topic) {

    private static final JsonFactory JSON = new JsonFactory();

    public ReadingBody {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(metric, "metric");
    }

    /**
     * Each thread's builder for {@link #json()}: a reading is written tens of thousands of times a
     * second, and a fresh builder each time is as much garbage as the text itself.
     */
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(256));
    /** A builder grown past this (an enormous topic) is not kept. */
    private static final int BUILDER_KEPT = 4096;

    /** The event body: {@code {"room":…,"sensor":…,"metric":…,"value":…,"unit":…,"topic":…}}. */
    public String json() {
        StringBuilder b = BUILDER.get();
        b.setLength(0);
        String json = write(b);
        if (b.capacity() > BUILDER_KEPT) {
            BUILDER.set(new StringBuilder(256));
        }
        return json;
    }

    private String write(StringBuilder b) {
        b.append('{');
        JsonText.field(b, "room", room).append(',');
        JsonText.field(b, "sensor", sensor).append(',');
        JsonText.field(b, "metric", metric).append(',');
        JsonText.field(b, "value", value).append(',');
        JsonText.field(b, "unit", unit).append(',');
        JsonText.field(b, "topic", topic);
        return b.append('}').toString();
    }

    /**
     * Reads a body written by {@link #json()} (or by an earlier version with the same fields).
     *
     * @throws IOException if it is not an object with room, sensor, metric and a numeric value
     */
    public static ReadingBody parse(String json) throws IOException {
        String room = null;
        String sensor = null;
        String metric = null;
        String unit = null;
        String topic = null;
        double value = Double.NaN;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("reading body is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "room" -> room = p.getValueAsString();
                    case "sensor" -> sensor = p.getValueAsString();
                    case "metric" -> metric = p.getValueAsString();
                    case "unit" -> unit = p.getValueAsString();
                    case "topic" -> topic = p.getValueAsString();
                    case "value" -> value = t.isNumeric() ? p.getDoubleValue() : Double.NaN;
                    default -> p.skipChildren();
                }
            }
        }
        if (room == null || sensor == null || metric == null || Double.isNaN(value)) {
            throw new IOException("reading body lacks room, sensor, metric or value");
        }
        return new ReadingBody(room, sensor, metric, unit, value, topic);
    }
}
