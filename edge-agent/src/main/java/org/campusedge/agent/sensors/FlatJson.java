package org.campusedge.agent.sensors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the top-level fields of the commonest sensor payload — one flat JSON object of numbers,
 * plain strings, booleans and nulls, such as Zigbee2MQTT's or a plain JSON sensor's — straight
 * from the bytes, with no parser, tree or map per message. It accepts only a strict subset of
 * JSON (RFC 8259 §2-7: no escapes, no non-ASCII, no nested values, no NaN or Infinity, no number
 * that is not finite as a double); on anything else it answers null and the caller parses the
 * payload with Jackson, which then decides — so every payload this accepts is valid JSON, and
 * reads the same as the tree would (the last of duplicate keys wins, a null is absent). Stateless.
 */
final class FlatJson {

    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte NUMBER = 2;
    private static final byte STRING = 3;
    private static final byte TRUE = 4;
    private static final byte FALSE = 5;

    private FlatJson() {
    }

    /** A field name the fast path can look for: printable ASCII with nothing JSON would escape. */
    static boolean plainKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of each of {@code keys} in {@code payload}, as {@link PayloadValue} reads it for
     * {@code metrics[i]}; a null entry for a key that is absent, is JSON null, or is itself null
     * (a mapping that reads no field). Null instead of an array when the payload is not in the
     * subset this reads.
     */
    static PayloadValue.Result[] values(byte[] payload, byte[][] keys, Metric[] metrics) {
        byte[] kind = new byte[keys.length];
        int[] start = new int[keys.length];
        int[] end = new int[keys.length];
        byte[] b = payload;
        int n = b.length;
        int i = whitespace(b, 0);
        if (i >= n || b[i] != '{') {
            return null;
        }
        i = whitespace(b, i + 1);
        if (i < n && b[i] == '}') {
            i++;
        } else {
            while (true) {
                if (i >= n || b[i] != '"') {
                    return null;
                }
                int keyStart = i + 1;
                int keyEnd = string(b, keyStart);
                if (keyEnd < 0) {
                    return null;
                }
                i = whitespace(b, keyEnd + 1);
                if (i >= n || b[i] != ':') {
                    return null;
                }
                i = whitespace(b, i + 1);
                if (i >= n) {
                    return null;
                }
                byte k;
                int valueStart = i;
                int valueEnd;
                switch (b[i]) {
                    case '"' -> {
                        k = STRING;
                        valueStart = i + 1;
                        valueEnd = string(b, valueStart);
                        if (valueEnd < 0) {
                            return null;
                        }
                        i = valueEnd + 1;
                    }
                    case 't' -> {
                        k = TRUE;
                        i = word(b, i, "true");
                        valueEnd = i;
                    }
                    case 'f' -> {
                        k = FALSE;
                        i = word(b, i, "false");
                        valueEnd = i;
                    }
                    case 'n' -> {
                        k = NULL;
                        i = word(b, i, "null");
                        valueEnd = i;
                    }
                    default -> {
                        k = NUMBER;
                        i = number(b, i);
                        valueEnd = i;
                    }
                }
                if (i < 0) {
                    return null;
                }
                for (int j = 0; j < keys.length; j++) {
                    if (keys[j] != null && Arrays.equals(b, keyStart, keyEnd, keys[j], 0, keys[j].length)) {
                        kind[j] = k;
                        start[j] = valueStart;
                        end[j] = valueEnd;
                    }
                }
                i = whitespace(b, i);
                if (i < n && b[i] == ',') {
                    i = whitespace(b, i + 1);
                } else if (i < n && b[i] == '}') {
                    i++;
                    break;
                } else {
                    return null;
                }
            }
        }
        if (whitespace(b, i) != n) {
            return null;
        }
        PayloadValue.Result[] out = new PayloadValue.Result[keys.length];
        for (int j = 0; j < keys.length; j++) {
            switch (kind[j]) {
                case NUMBER -> {
                    double d = Double.parseDouble(new String(b, start[j], end[j] - start[j], StandardCharsets.US_ASCII));
                    if (!Double.isFinite(d)) {
                        return null; // "1e999": the tree says how it reads, word for word
                    }
                    // An integer is an integer to the tree, and integer -0 is 0.
                    out[j] = PayloadValue.Result.ok(d == 0 && integral(b, start[j], end[j]) ? 0.0 : d);
                }
                case TRUE, FALSE -> out[j] = PayloadValue.fromBoolean(kind[j] == TRUE, metrics[j]);
                case STRING -> out[j] = PayloadValue.fromText(
                        new String(b, start[j], end[j] - start[j], StandardCharsets.US_ASCII), metrics[j]);
                default -> out[j] = null;
            }
        }
        return out;
    }

    private static int whitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The index of the closing quote of a string starting at {@code i}; -1 for an escape, a control or a non-ASCII byte. */
    private static int string(byte[] b, int i) {
        for (; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) { // a negative byte is non-ASCII
                return -1;
            }
        }
        return -1;
    }

    /** The index after {@code word} at {@code i}, or -1. */
    private static int word(byte[] b, int i, String word) {
        if (i + word.length() > b.length) {
            return -1;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return -1;
            }
        }
        return i + word.length();
    }

    /** The index after a JSON number at {@code i} (RFC 8259 §6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), or -1. */
    private static int number(byte[] b, int i) {
        int n = b.length;
        if (i < n && b[i] == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(b, i);
        } else {
            return -1;
        }
        if (i < n && b[i] == '.') {
            int after = digits(b, i + 1);
            if (after == i + 1) {
                return -1;
            }
            i = after;
        }
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int after = digits(b, i);
            if (after == i) {
                return -1;
            }
            i = after;
        }
        return i;
    }

    /** Whether the number in {@code b[from, to)} has neither a fraction nor an exponent. */
    private static boolean integral(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] b, int i) {
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }
}
