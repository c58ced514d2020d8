package org.campusedge.bridge.rdm6300;

import java.nio.charset.StandardCharsets;

/**
 * Turns a frame into its 14 wire bytes: STX, 10 upper-case ASCII hex digits of the 5 data bytes,
 * 2 ASCII hex digits of the XOR checksum, ETX (Seeed Studio wiki, "125Khz RFID module - UART",
 * "TTL Interface RS232 Data output format"). Upper case is what the module sends in every
 * published capture. Stateless and thread-safe.
 */
public final class Rdm6300Encoder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private Rdm6300Encoder() {
    }

    /** The frame as the module sends it. */
    public static byte[] encode(Rdm6300Frame frame) {
        return encodeWithChecksum(frame, frame.checksum());
    }

    /**
     * The frame with the given checksum byte instead of the right one: what a noisy line delivers.
     * For simulators and tests.
     */
    public static byte[] encodeWithChecksum(Rdm6300Frame frame, int checksum) {
        if (checksum < 0 || checksum > 0xFF) {
            throw new IllegalArgumentException("checksum must be 0..255, got " + checksum);
        }
        byte[] out = new byte[Rdm6300Frame.WIRE_LENGTH];
        out[0] = Rdm6300Frame.STX;
        byte[] data = frame.dataBytes();
        for (int i = 0; i < data.length; i++) {
            out[1 + 2 * i] = HEX[(data[i] >> 4) & 0xF];
            out[2 + 2 * i] = HEX[data[i] & 0xF];
        }
        out[11] = HEX[(checksum >> 4) & 0xF];
        out[12] = HEX[checksum & 0xF];
        out[13] = Rdm6300Frame.ETX;
        return out;
    }
}
