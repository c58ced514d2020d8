package org.campusedge.bridge.osdp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Builds the data of ACU commands (SIA OSDP v2.2 / IEC 60839-11-5, command descriptions).
 * Times on the wire are in units of 100 ms; multi-byte numbers are least significant byte first.
 */
public final class OsdpCommands {

    private OsdpCommands() {
    }

    /** osdp_ID / osdp_CAP: one byte, 0x00 = "send standard reply". */
    public static byte[] idRequest() {
        return new byte[] {0x00};
    }

    /** LED colours (osdp_LED colour codes). */
    public enum Color {
        BLACK(0), RED(1), GREEN(2), AMBER(3), BLUE(4), MAGENTA(5), CYAN(6), WHITE(7);

        private final int code;

        Color(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * osdp_LED, one 14-byte record: a temporary flash pattern that overrides the permanent state
     * for {@code duration}, then the permanent state.
     */
    public static byte[] led(int reader, int led, Color tempOn, Color tempOff, Duration tempOnTime, Duration tempOffTime,
                             Duration duration, Color permanent) {
        int timer = units(duration, 0xFFFF);
        return new byte[] {
            (byte) reader, (byte) led,
            0x02, // temporary control: set the temporary state and start the timer
            (byte) units(tempOnTime, 0xFF), (byte) units(tempOffTime, 0xFF), (byte) tempOn.code, (byte) tempOff.code,
            (byte) timer, (byte) (timer >> 8),
            0x01, // permanent control: set the permanent state
            (byte) 1, (byte) 0, (byte) permanent.code, (byte) permanent.code
        };
    }

    /** osdp_BUZ: tone 2 (default tone), {@code count} beeps of {@code on}/{@code off}. */
    public static byte[] buzzer(int reader, Duration on, Duration off, int count) {
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("count must be 0..255");
        }
        return new byte[] {(byte) reader, 0x02, (byte) units(on, 0xFF), (byte) units(off, 0xFF), (byte) count};
    }

    /**
     * osdp_OUT, one 4-byte record: control code 5 = "temporary on, then resume the permanent state",
     * which is how a door strike is pulsed.
     */
    public static byte[] pulseOutput(int output, Duration time) {
        int t = units(time, 0xFFFF);
        return new byte[] {(byte) output, 0x05, (byte) t, (byte) (t >> 8)};
    }

    /** osdp_TEXT: permanent text without wrap (command 1) at row/column (1-based). */
    public static byte[] text(int reader, int row, int column, String text) {
        byte[] chars = text.getBytes(StandardCharsets.US_ASCII);
        if (chars.length > 32) {
            throw new IllegalArgumentException("text longer than 32 characters");
        }
        byte[] out = new byte[6 + chars.length];
        out[0] = (byte) reader;
        out[1] = 0x01;
        out[2] = 0;
        out[3] = (byte) row;
        out[4] = (byte) column;
        out[5] = (byte) chars.length;
        System.arraycopy(chars, 0, out, 6, chars.length);
        return out;
    }

    /** osdp_COMSET: new address and baud rate (32-bit, LSB first). */
    public static byte[] comSet(int address, int baud) {
        if (address < 0 || address > 0x7E) {
            throw new IllegalArgumentException("address must be 0..0x7E");
        }
        return new byte[] {(byte) address, (byte) baud, (byte) (baud >> 8), (byte) (baud >> 16), (byte) (baud >> 24)};
    }

    /** osdp_KEYSET: key type 1 (secure channel base key), 16-byte key. */
    public static byte[] keySet(byte[] scbk) {
        if (scbk.length != 16) {
            throw new IllegalArgumentException("an SCBK is 16 bytes");
        }
        byte[] out = new byte[18];
        out[0] = 0x01;
        out[1] = 16;
        System.arraycopy(scbk, 0, out, 2, 16);
        return out;
    }

    private static int units(Duration d, int max) {
        long u = (d.toMillis() + 99) / 100;
        if (u < 0 || u > max) {
            throw new IllegalArgumentException(d + " is beyond " + max + " x 100 ms");
        }
        return (int) u;
    }
}
