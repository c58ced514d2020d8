package org.campusedge.sync.wire;

/**
 * Writes the few flat JSON bodies that are written tens of thousands of times a second (sensor
 * readings) without going through a general-purpose mapper. Escaping per RFC 8259 section 7:
 * quotation mark, reverse solidus and the control characters U+0000..U+001F.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code "name":} then the quoted, escaped {@code value}. */
    public static StringBuilder field(StringBuilder b, String name, String value) {
        quote(b, name).append(':');
        return quote(b, value);
    }

    /** Appends {@code "name":} then a finite number as Java prints it (valid JSON: digits, '.', 'E', '-'). */
    public static StringBuilder field(StringBuilder b, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is not a finite number: " + value);
        }
        quote(b, name).append(':');
        return b.append(value);
    }

    /** Appends {@code value} as a JSON string. */
    public static StringBuilder quote(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
