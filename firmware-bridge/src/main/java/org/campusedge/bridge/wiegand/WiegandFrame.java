package org.campusedge.bridge.wiegand;

import java.util.Locale;
import java.util.Objects;

/**
 * The bits of one Wiegand transmission, in the order they were sent. Bit 0 is the first bit on
 * the wire (the leading parity bit of the HID formats) and is held as the most significant of the
 * {@code bitCount} low bits of {@code bits}, so {@link #hex()} reads like the bit string.
 *
 * @param bitCount number of bits received, 1..{@value #MAX_BITS}
 * @param bits     the bits, right-aligned: nothing above bit {@code bitCount - 1} may be set
 */
public record WiegandFrame(int bitCount, long bits) {

    /** The longest frame this package represents (a {@code long}); longer bursts are dropped. */
    public static final int MAX_BITS = 64;

    public WiegandFrame {
        if (bitCount < 1 || bitCount > MAX_BITS) {
            throw new IllegalArgumentException("bitCount must be 1.." + MAX_BITS + ", got " + bitCount);
        }
        if (bitCount < MAX_BITS && (bits >>> bitCount) != 0) {
            throw new IllegalArgumentException("bits 0x" + Long.toHexString(bits) + " do not fit in " + bitCount + " bits");
        }
    }

    /** Parses {@code '0'}/{@code '1'} characters, first-sent first; spaces and underscores are ignored. */
    public static WiegandFrame ofBits(String bitString) {
        Objects.requireNonNull(bitString, "bitString");
        long bits = 0;
        int count = 0;
        for (int i = 0; i < bitString.length(); i++) {
            char c = bitString.charAt(i);
            if (c == ' ' || c == '_') {
                continue;
            }
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException("not a bit at index " + i + ": '" + c + "'");
            }
            if (count == MAX_BITS) {
                throw new IllegalArgumentException("more than " + MAX_BITS + " bits");
            }
            bits = (bits << 1) | (c - '0');
            count++;
        }
        return new WiegandFrame(count, bits);
    }

    /** The bit sent at position {@code index} (0 = first), as 0 or 1. */
    public int bit(int index) {
        Objects.checkIndex(index, bitCount);
        return (int) ((bits >>> (bitCount - 1 - index)) & 1);
    }

    /** The unsigned number formed by bits {@code from .. from + length - 1}, first-sent most significant. */
    public long field(int from, int length) {
        Objects.checkFromIndexSize(from, length, bitCount);
        if (length == 0) {
            return 0;
        }
        long shifted = bits >>> (bitCount - from - length);
        return length == 64 ? shifted : shifted & ((1L << length) - 1);
    }

    /** How many of bits {@code from .. to} (inclusive) are 1. */
    public int onesBetween(int from, int to) {
        return Long.bitCount(field(from, to - from + 1));
    }

    /** The same frame with the bit at {@code index} inverted. */
    public WiegandFrame withBitFlipped(int index) {
        Objects.checkIndex(index, bitCount);
        return new WiegandFrame(bitCount, bits ^ (1L << (bitCount - 1 - index)));
    }

    /** The bits as upper-case hex, {@code ceil(bitCount / 4)} digits, zero-padded on the left. */
    public String hex() {
        String digits = Long.toHexString(bits).toUpperCase(Locale.ROOT);
        int width = (bitCount + 3) / 4;
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** The bits as a {@code 0}/{@code 1} string, first-sent first. */
    public String bitString() {
        StringBuilder sb = new StringBuilder(bitCount);
        for (int i = 0; i < bitCount; i++) {
            sb.append((char) ('0' + bit(i)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return bitCount + " bits " + bitString();
    }
}
