package org.campusedge.sync.downlink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.campusedge.sync.wire.JsonCodec;

import java.util.regex.Pattern;

/**
 * Reads and checks downlink values for their kind, the same at the center (before anything is
 * stored) and on the box (before anything is applied). Fields a value leaves out take their
 * defaults; a wrong one is an {@link IllegalArgumentException} naming the field.
 */
public final class DownlinkValues {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DownlinkValues() {
    }

    /** A checked edit putting {@code value} under {@code key}; the key is normalised (card ids upper-case). */
    public static DownlinkEdit put(DownlinkKind kind, String key, JsonNode value) {
        String k = kind == DownlinkKind.CARD ? CardGrant.normaliseCardId(key) : key.strip();
        checkKey(kind, k);
        Object typed = read(kind, value);
        return new DownlinkEdit(kind, k, typed instanceof JsonNode n ? n : JsonCodec.mapper().valueToTree(typed));
    }

    /** A checked edit putting a typed value ({@link CardGrant}, {@link RoomSpec}...). */
    public static DownlinkEdit putValue(DownlinkKind kind, String key, Object typedValue) {
        JsonNode tree = JsonCodec.mapper().valueToTree(typedValue);
        return put(kind, key, tree);
    }

    /** Checks a key for its kind. */
    public static void checkKey(DownlinkKind kind, String key) {
        if (kind == DownlinkKind.CARD) {
            if (!CardGrant.CARD_ID.matcher(key).matches()) {
                throw new IllegalArgumentException("card_id must be 4-32 hex digits or a decimal card number, got \"" + key + "\"");
            }
        } else if (!ID.matcher(key).matches()) {
            throw new IllegalArgumentException("a " + kind.wireName() + " id must be 1-64 letters, digits, '.', '_' or '-', got \"" + key + "\"");
        }
    }

    /**
     * The typed value: a {@link CardGrant}, {@link RoomSpec}, {@link ScheduleSpec} or
     * {@link HolidaySpec}; for an alarm rule, the checked JSON object itself.
     */
    public static Object read(DownlinkKind kind, JsonNode value) {
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("a " + kind.wireName() + " value must be a JSON object");
        }
        return switch (kind) {
            case CARD -> convert(value, CardGrant.class);
            case ROOM -> convert(value, RoomSpec.class);
            case SCHEDULE -> convert(value, ScheduleSpec.class);
            case HOLIDAY -> convert(value, HolidaySpec.class);
            case ALARM_RULE -> alarmRule((ObjectNode) value);
        };
    }

    public static <T> T read(JsonNode value, Class<T> type) {
        return convert(value, type);
    }

    private static JsonNode alarmRule(ObjectNode value) {
        JsonNode kind = value.get("kind");
        if (kind != null && !kind.isTextual()) {
            throw new IllegalArgumentException("kind must be text: threshold, unattended, silent or door-held-open");
        }
        return value;
    }

    private static <T> T convert(JsonNode value, Class<T> type) {
        ObjectReader reader = JsonCodec.mapper().readerFor(type)
                .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        try {
            return reader.readValue(value);
        } catch (java.io.IOException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException && cause.getMessage() != null ? cause.getMessage()
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(why, e);
        }
    }
}
