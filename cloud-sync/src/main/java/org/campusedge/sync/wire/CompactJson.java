package org.campusedge.sync.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A JSON object's bytes as a String without insignificant whitespace: how the data center keeps
 * an event's payload as the box sent it, sliced from the request body rather than rebuilt.
 */
final class CompactJson {

    /** Reads eight bytes of an array as one long, for {@link #hasByteBelow0x21}; byte order does not matter there. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private CompactJson() {
    }

    /**
     * UTF-8 JSON text {@code json[start..end)} as a String without the insignificant whitespace
     * of RFC 8259 section 2 (space, tab, line feed, carriage return outside strings). The text
     * is already known to be well-formed, so a quote ends a string unless a backslash escapes it.
     */
    static String compact(byte[] json, int start, int end) {
        if (!hasByteBelow0x21(json, start, end)) {
            return new String(json, start, end - start, StandardCharsets.UTF_8); // the usual case: a box writes no whitespace
        }
        int firstSpace = -1;
        boolean inString = false;
        for (int i = start; i < end; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                firstSpace = i;
                break;
            }
        }
        if (firstSpace < 0) {
            return new String(json, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = firstSpace - start;
        System.arraycopy(json, start, out, 0, n);
        for (int i = firstSpace; i < end; i++) {
            byte b = json[i];
            if (inString) {
                out[n++] = b;
                if (b == '\\') {
                    out[n++] = json[++i];
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                out[n++] = b;
                inString = b == '"';
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code json[start..end)} holds a byte below 0x21 (space, the other whitespace and the
     * control characters), eight bytes at a time: for each 8-byte word x, {@code (x - 0x21 in every
     * byte) & ~x & 0x80 in every byte} is non-zero exactly when some byte of x is below 0x21
     * ("Determine if a word has a byte less than n", Sean Eron Anderson, Bit Twiddling Hacks,
     * graphics.stanford.edu/~seander/bithacks.html#HasLessInWord; n = 0x21 is within its n <= 128).
     */
    static boolean hasByteBelow0x21(byte[] json, int start, int end) {
        int i = start;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(json, i);
            if (((x - 0x2121_2121_2121_2121L) & ~x & 0x8080_8080_8080_8080L) != 0) {
                return true;
            }
        }
        for (; i < end; i++) {
            if (json[i] >= 0 && json[i] < 0x21) {
                return true;
            }
        }
        return false;
    }
}
