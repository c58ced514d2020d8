package org.campusedge.sync.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The room an event names: the top-level {@code "room"} string of its payload, as the box's
 * access and sensor events carry it; null when the payload has none, its {@code room} is not a
 * string, or the payload is not a JSON object. The data center keeps it in a column so reports by
 * room use an index. This is the slow path, a parse of its own that stops at the field;
 * {@link IngestBatchDecoder} picks the room up while it checks a payload, see
 * {@link WireEvent#room()}. Stateless and thread-safe.
 */
public final class PayloadRoom {

    private static final JsonFactory JSON = new JsonFactory();

    private PayloadRoom() {
    }

    /** The payload's top-level {@code room} string, or null if it has none (or is not an object). */
    public static String of(String payloadJson) {
        // Without the literal "room" the field can only be there spelt with escapes ("r\u006fom").
        if (payloadJson.indexOf("\"room\"") < 0 && payloadJson.indexOf('\\') < 0) {
            return null;
        }
        try (JsonParser p = JSON.createParser(payloadJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean room = "room".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (room) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            // Not a JSON object (the wire decoder refuses those before they get here): no room is the safe answer.
            return null;
        }
    }
}
