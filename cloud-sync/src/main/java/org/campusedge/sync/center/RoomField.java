package org.campusedge.sync.center;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The room an event names: the top-level {@code "room"} string of its payload, as the box's
 * access and sensor events carry it. Kept in a column so reports by room use an index. Reads
 * with a streaming parser and stops at the field; stateless and thread-safe.
 */
final class RoomField {

    private static final JsonFactory JSON = new JsonFactory();

    private RoomField() {
    }

    /** The payload's top-level {@code room} string, or null if it has none (or is not an object). */
    static String of(String payloadJson) {
        if (payloadJson.indexOf("\"room\"") < 0) {
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
            // The wire decoder already checked the payload is a JSON object; a room-less row is the safe answer.
            return null;
        }
    }
}
