package org.campusedge.bridge.rdm6300;

import java.util.HexFormat;
import java.util.Locale;

/**
 * One RDM6300 frame: the 5 data bytes of an EM4100 tag, a version (customer) byte and a 32-bit
 * card number. On the wire (9600 8N1) it is 14 bytes:
 *
 * <pre>
 * 0x02 | 10 ASCII hex digits: version (2) + card number (8) | 2 ASCII hex digits: checksum | 0x03
 * </pre>
 *
 * The checksum is the XOR of the 5 data bytes. Source: Seeed Studio wiki, "125Khz RFID module -
 * UART" (RDM630/RDM6300), section "TTL Interface RS232 Data output format": "CHECKSUM: card 10byte
 * DATA entire do XOR operation", example card 62E3086CED with checksum 08.
 *
 * @param version    the tag's version / customer byte, 0..255
 * @param cardNumber the 32-bit card number, 0..4294967295 (the decimal number printed on most fobs)
 */
public record Rdm6300Frame(int version, long cardNumber) {

    public static final byte STX = 0x02;
    public static final byte ETX = 0x03;
    /** Bytes of one frame on the wire. */
    public static final int WIRE_LENGTH = 14;
    /** Data bytes in a frame: version + 4 bytes of card number. */
    public static final int DATA_BYTES = 5;
    /** Significant bits of the tag id. */
    public static final int BIT_COUNT = 40;

    public Rdm6300Frame {
        if (version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("version must be 0..255, got " + version);
        }
        if (cardNumber < 0 || cardNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("cardNumber must be 0..2^32-1, got " + cardNumber);
        }
    }

    /** A frame from its 5 data bytes: version, then the card number big-endian. */
    public static Rdm6300Frame ofDataBytes(byte[] data) {
        if (data.length != DATA_BYTES) {
            throw new IllegalArgumentException("a frame has " + DATA_BYTES + " data bytes, got " + data.length);
        }
        long number = ((data[1] & 0xFFL) << 24) | ((data[2] & 0xFFL) << 16) | ((data[3] & 0xFFL) << 8) | (data[4] & 0xFFL);
        return new Rdm6300Frame(data[0] & 0xFF, number);
    }

    /** A frame from the 10 hex digits of a tag id, either case, e.g. {@code 62E3086CED}. */
    public static Rdm6300Frame ofHex(String tenHexDigits) {
        if (tenHexDigits.length() != 10 || !tenHexDigits.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a tag id is 10 hex digits, got \"" + tenHexDigits + "\"");
        }
        long value = HexFormat.fromHexDigitsToLong(tenHexDigits);
        return new Rdm6300Frame((int) (value >>> 32), value & 0xFFFF_FFFFL);
    }

    /** The 5 data bytes: version then card number, big-endian. */
    public byte[] dataBytes() {
        return new byte[] {(byte) version, (byte) (cardNumber >>> 24), (byte) (cardNumber >>> 16),
            (byte) (cardNumber >>> 8), (byte) cardNumber};
    }

    /** XOR of the 5 data bytes. */
    public int checksum() {
        return (version ^ (int) (cardNumber >>> 24) ^ (int) (cardNumber >>> 16) ^ (int) (cardNumber >>> 8)
                ^ (int) cardNumber) & 0xFF;
    }

    /** The tag id as 10 upper-case hex digits, e.g. {@code 62E3086CED}. */
    public String hexId() {
        return String.format(Locale.ROOT, "%02X%08X", version, cardNumber);
    }
}
