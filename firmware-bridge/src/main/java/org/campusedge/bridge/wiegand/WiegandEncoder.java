package org.campusedge.bridge.wiegand;

import java.util.Objects;

/** Builds frames as a reader would send them: for tests, the simulator and the demo. */
public final class WiegandEncoder {

    private WiegandEncoder() {
    }

    /** A card with a facility code, in {@code format}, parity bits included. */
    public static WiegandFrame card(WiegandFormat format, int facility, int card) {
        return Objects.requireNonNull(format, "format").encode(facility, card);
    }

    /**
     * The frame a UID reader sends for {@code uid} (1..8 bytes): the bytes in order for
     * {@link UidByteOrder#AS_SENT}, last byte first for {@link UidByteOrder#REVERSED}, so that
     * decoding with the same order gives {@code uid} back.
     */
    public static WiegandFrame uid(byte[] uid, UidByteOrder order) {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(order, "order");
        if (uid.length < 1 || uid.length > WiegandFrame.MAX_BITS / 8) {
            throw new IllegalArgumentException("a UID must be 1.." + WiegandFrame.MAX_BITS / 8 + " bytes, got " + uid.length);
        }
        long bits = 0;
        for (int i = 0; i < uid.length; i++) {
            byte b = order == UidByteOrder.AS_SENT ? uid[i] : uid[uid.length - 1 - i];
            bits = (bits << 8) | (b & 0xFF);
        }
        return new WiegandFrame(uid.length * 8, bits);
    }
}
