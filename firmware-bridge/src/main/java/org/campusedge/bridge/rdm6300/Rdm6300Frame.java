package org.campusedge.bridge.rdm6300;

import java.util.HexFormat;

/**
 * One RDM6300 frame: the 5 data bytes of an EM4100 tag — a version (customer) byte and a 32-bit
 * card number. On the wire (9600 8N1) it is 14 bytes:
 *
 * <pre>
 * 0x02 | 10 ASCII hex digits: version (2) + card number (8) | 2 ASCII hex digits: checksum | 0x03
 * </pre>
 *
 * The checksum is the XOR of the 5 data bytes. Source: Seeed Studio, "Grove - 125KHz RFID
 * Reader" wiki (UART data format; example card 62E3086CED, checksum 08).
 *
 * @param version    the tag's version / customer byte, 0..255
 * @param cardNumber the 32-bit card number, 0..4294967295
 */
public record Rdm6300Frame(int version, long cardNumber) {

    public static final byte STX = 0x02;
    public static final byte ETX = 0x03;
    /** Bytes of one frame on the wire. */
    public static final int WIRE_LENGTH = 14;

    public Rdm6300Frame {
        if (version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("version must be 0..255, got " + version);
        }
        if (cardNumber < 0 || cardNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("cardNumber must be 0..2^32-1, got " + cardNumber);
        }
    }

    /** A frame from the 10 hex digits of a tag id, e.g. {@code 62E3086CED}. */
    public static Rdm6300Frame ofHex(String tenHexDigits) {
        if (tenHexDigits.length() != 10 || !HexFormat.isHexDigit(tenHexDigits.charAt(0))) {
            throw new IllegalArgumentException("a tag id is 10 hex digits, got \"" + tenHexDigits + "\"");
        }
        long value;
        try {
            value = HexFormat.fromHexDigitsToLong(tenHexDigits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a tag id is 10 hex digits, got \"" + tenHexDigits + "\"", e);
        }
        return new Rdm6300Frame((int) (value >>> 32), value & 0xFFFF_FFFFL);
    }

    /** The 5 data bytes: version then card number, big-endian. */
    public byte[] dataBytes() {
        return new byte[] {(byte) version, (byte) (cardNumber >>> 24), (byte) (cardNumber >>> 16),
            (byte) (cardNumber >>> 8), (byte) cardNumber};
    }

    /** XOR of the 5 data bytes. */
    public int checksum() {
        int x = 0;
        for (byte b : dataBytes()) {
            x ^= b & 0xFF;
        }
        return x;
    }

    /** The tag id as 10 upper-case hex digits, e.g. {@code 62E3086CED}. */
    public String hexId() {
        return String.format("%02X%08X", version, cardNumber);
    }
}
