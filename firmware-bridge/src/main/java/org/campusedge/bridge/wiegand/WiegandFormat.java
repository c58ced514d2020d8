package org.campusedge.bridge.wiegand;

import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Wiegand card formats, each defined by its bit positions (bit 0 = first bit sent).
 *
 * <p>H10301 and H10306 as HID defines them (HID Technical Support, Tech Tip #5 "The Standard
 * 26-bit Format", layout {@code PAAAAAAAABBBBBBBBBBBBBBBBP} with {@code EXXXXXXXXXXXX} over the
 * first 13 bits and {@code XXXXXXXXXXXXO} over the last 13; HID "Understanding Card Data Formats"
 * for the 34-bit H10306 with a 16-bit facility code): a leading bit that makes the first half
 * even, a trailing bit that makes the second half odd, facility code then card number between.
 * {@link #RAW} is any length with no parity: readers that send a card serial number (UID).
 *
 * <p>Pure: no GPIO types. Stateless and thread-safe.
 */
public enum WiegandFormat {

    /** 26 bits: P(even over 1..12), facility 1..8, card 9..24, P(odd over 13..24). */
    H10301("H10301", 26, 1, 8, 9, 16, 12, 13),
    /** 34 bits: P(even over 1..16), facility 1..16, card 17..32, P(odd over 17..32). */
    H10306("H10306", 34, 1, 16, 17, 16, 16, 17),
    /** Any number of bits, no parity, no fields: the bits are a UID. */
    RAW("RAW", 0, 0, 0, 0, 0, 0, 0);

    private final String wireName;
    private final int bitCount;
    private final int facilityStart;
    private final int facilityLength;
    private final int cardStart;
    private final int cardLength;
    private final int evenParityLastBit;
    private final int oddParityFirstBit;

    WiegandFormat(String wireName, int bitCount, int facilityStart, int facilityLength, int cardStart, int cardLength,
                  int evenParityLastBit, int oddParityFirstBit) {
        this.wireName = wireName;
        this.bitCount = bitCount;
        this.facilityStart = facilityStart;
        this.facilityLength = facilityLength;
        this.cardStart = cardStart;
        this.cardLength = cardLength;
        this.evenParityLastBit = evenParityLastBit;
        this.oddParityFirstBit = oddParityFirstBit;
    }

    /** The name in {@code CardRead.format()}, journal records and configuration. */
    public String wireName() {
        return wireName;
    }

    /** The exact bit count of a fixed format; empty for {@link #RAW}, which takes any length. */
    public OptionalInt bitCount() {
        return this == RAW ? OptionalInt.empty() : OptionalInt.of(bitCount);
    }

    /** Largest facility code the format carries (0 for {@link #RAW}). */
    public int maxFacilityCode() {
        return (1 << facilityLength) - 1;
    }

    /** Largest card number the format carries (0 for {@link #RAW}). */
    public int maxCardNumber() {
        return (1 << cardLength) - 1;
    }

    /** The format named {@code name} ({@link #wireName()}), for configuration. */
    public static WiegandFormat ofWireName(String name) {
        for (WiegandFormat f : values()) {
            if (f.wireName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown Wiegand format '" + name + "', expected H10301, H10306 or RAW");
    }

    /**
     * Strict decoding: the bit count must match and both parity bits must hold.
     *
     * @param order how to turn {@link #RAW} bits into a UID; ignored by the fixed formats
     * @throws WiegandException with {@link WiegandException.Reason#LENGTH}, {@code EVEN_PARITY} or {@code ODD_PARITY}
     */
    public WiegandCard decode(WiegandFrame frame, UidByteOrder order) throws WiegandException {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(order, "order");
        if (this == RAW) {
            return new WiegandCard(this, OptionalInt.empty(), OptionalInt.empty(), uidHex(frame, order), frame);
        }
        if (frame.bitCount() != bitCount) {
            throw new WiegandException(WiegandException.Reason.LENGTH,
                    wireName + " needs " + bitCount + " bits, got " + frame.bitCount());
        }
        // Bit 0 makes bits 0..evenParityLastBit even; the last bit makes oddParityFirstBit..end odd.
        if (frame.onesBetween(0, evenParityLastBit) % 2 != 0) {
            throw new WiegandException(WiegandException.Reason.EVEN_PARITY, wireName + " even parity fails: " + frame);
        }
        if (frame.onesBetween(oddParityFirstBit, bitCount - 1) % 2 != 1) {
            throw new WiegandException(WiegandException.Reason.ODD_PARITY, wireName + " odd parity fails: " + frame);
        }
        int facility = (int) frame.field(facilityStart, facilityLength);
        int card = (int) frame.field(cardStart, cardLength);
        return new WiegandCard(this, OptionalInt.of(facility), OptionalInt.of(card), Integer.toString(card), frame);
    }

    /**
     * Builds the frame for {@code facility} and {@code card}, parity bits included.
     *
     * @throws IllegalArgumentException for {@link #RAW} or a field out of range
     */
    public WiegandFrame encode(int facility, int card) {
        if (this == RAW) {
            throw new IllegalArgumentException("RAW has no facility code or card number; use WiegandEncoder.uid");
        }
        if (facility < 0 || facility > maxFacilityCode() || card < 0 || card > maxCardNumber()) {
            throw new IllegalArgumentException(wireName + " facility must be 0.." + maxFacilityCode() + " and card 0.."
                    + maxCardNumber() + ", got " + facility + "/" + card);
        }
        long data = ((long) facility << cardLength) | card;
        int dataBits = bitCount - 2;
        long withoutParity = data << 1;
        WiegandFrame plain = new WiegandFrame(bitCount, withoutParity);
        int even = plain.onesBetween(1, evenParityLastBit) % 2;
        int odd = 1 - plain.onesBetween(oddParityFirstBit, bitCount - 2) % 2;
        return new WiegandFrame(bitCount, ((long) even << (dataBits + 1)) | withoutParity | odd);
    }

    /** The UID of a raw frame: the value's bytes, reversed if asked; odd lengths only as sent. */
    static String uidHex(WiegandFrame frame, UidByteOrder order) throws WiegandException {
        if (order == UidByteOrder.AS_SENT) {
            return frame.hex();
        }
        if (frame.bitCount() % 8 != 0) {
            throw new WiegandException(WiegandException.Reason.LENGTH,
                    "a reversed-byte UID needs whole bytes, got " + frame.bitCount() + " bits");
        }
        byte[] bytes = new byte[frame.bitCount() / 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[bytes.length - 1 - i] = (byte) frame.field(8 * i, 8);
        }
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
