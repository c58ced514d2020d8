package org.campusedge.bridge.rdm6300;

import java.nio.charset.StandardCharsets;

/**
 * Encodes frames to their 14 wire bytes and decodes one complete, isolated frame. For a byte
 * stream use {@link Rdm6300Decoder}, which resynchronises.
 */
public final class Rdm6300Codec {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private Rdm6300Codec() {
    }

    public static byte[] encode(Rdm6300Frame frame) {
        return encode(frame, frame.checksum());
    }

    /** Encodes with a given checksum byte (tests use a wrong one). */
    public static byte[] encode(Rdm6300Frame frame, int checksum) {
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

    public static Rdm6300Frame decode(byte[] wire) throws Rdm6300Exception {
        if (wire.length != Rdm6300Frame.WIRE_LENGTH) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.LENGTH,
                    "a frame is " + Rdm6300Frame.WIRE_LENGTH + " bytes, got " + wire.length);
        }
        if (wire[0] != Rdm6300Frame.STX) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.NO_STX, String.format("first byte is 0x%02X, not STX", wire[0]));
        }
        if (wire[13] != Rdm6300Frame.ETX) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.NO_ETX, String.format("last byte is 0x%02X, not ETX", wire[13]));
        }
        int[] nibbles = new int[12];
        for (int i = 0; i < 12; i++) {
            nibbles[i] = hexValue(wire[1 + i]);
            if (nibbles[i] < 0) {
                throw new Rdm6300Exception(Rdm6300Exception.Reason.NOT_HEX,
                        String.format("byte %d is 0x%02X, not an ASCII hex digit", 1 + i, wire[1 + i]));
            }
        }
        return fromNibbles(nibbles);
    }

    /** Builds and checks a frame from 12 hex nibbles (10 data, 2 checksum). */
    static Rdm6300Frame fromNibbles(int[] nibbles) throws Rdm6300Exception {
        long data = 0;
        for (int i = 0; i < 10; i++) {
            data = (data << 4) | nibbles[i];
        }
        Rdm6300Frame frame = new Rdm6300Frame((int) (data >>> 32), data & 0xFFFF_FFFFL);
        int sent = (nibbles[10] << 4) | nibbles[11];
        if (sent != frame.checksum()) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.CHECKSUM,
                    String.format("checksum 0x%02X does not match 0x%02X for %s", sent, frame.checksum(), frame.hexId()));
        }
        return frame;
    }

    /** The value of an ASCII hex digit (either case), or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
