package org.campusedge.bridge.osdp;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.wiegand.UidByteOrder;
import org.campusedge.bridge.wiegand.WiegandCard;
import org.campusedge.bridge.wiegand.WiegandDecoder;
import org.campusedge.bridge.wiegand.WiegandException;
import org.campusedge.bridge.wiegand.WiegandFormat;
import org.campusedge.bridge.wiegand.WiegandFrame;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Turns osdp_RAW card data into a {@link CardRead}. Data in Wiegand format (format code 1) of a
 * known layout (26-bit H10301, 34-bit H10306) is decoded with its parity checked, so a card
 * gets the same id at an OSDP reader as at a Wiegand reader; other data is kept as raw hex.
 */
final class OsdpCardData {

    private static final WiegandDecoder WIEGAND = new WiegandDecoder(EnumSet.allOf(WiegandFormat.class), UidByteOrder.AS_SENT);

    private OsdpCardData() {
    }

    /** Empty when Wiegand data fails its parity check. */
    static Optional<CardRead> toCardRead(String readerId, OsdpReplies.RawCard raw, Instant at) {
        if (raw.format() == 1 && raw.bitCount() <= WiegandFrame.MAX_BITS) {
            WiegandFrame frame = new WiegandFrame(raw.bitCount(), leftAlignedBits(raw));
            try {
                WiegandCard card = WIEGAND.decode(frame);
                return Optional.of(new CardRead(readerId, card.format().wireName(), card.cardId(), card.rawHex(),
                        card.bitCount(), at, card.facilityCode()));
            } catch (WiegandException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new CardRead(readerId, "RAW-" + raw.bitCount(), raw.hex(), raw.hex(), raw.bitCount(), at));
    }

    /** osdp_FMT: card data the reader already formatted as ASCII characters. */
    static Optional<CardRead> formatted(String readerId, byte[] data, Instant at) {
        // reader number, read direction, character count, characters
        if (data.length < 3 || data.length != 3 + (data[2] & 0xFF) || data[2] == 0) {
            return Optional.empty();
        }
        String chars = new String(data, 3, data.length - 3, java.nio.charset.StandardCharsets.US_ASCII).trim();
        if (!chars.matches("[0-9A-Za-z]{1,32}")) {
            return Optional.empty();
        }
        return Optional.of(new CardRead(readerId, "FMT", chars.toUpperCase(java.util.Locale.ROOT),
                java.util.HexFormat.of().withUpperCase().formatHex(data, 3, data.length), 8 * (data.length - 3), at));
    }

    /** osdp_RAW sends the bits first-received first, left-aligned in whole bytes. */
    private static long leftAlignedBits(OsdpReplies.RawCard raw) {
        byte[] data = raw.data();
        long v = 0;
        for (byte b : data) {
            v = v << 8 | (b & 0xFF);
        }
        return v >>> (8 * data.length - raw.bitCount());
    }
}
