package org.campusedge.bridge;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One card presented at a reader, as decoded from the reader's protocol.
 *
 * @param readerId  the configured id of the reader that saw the card
 * @param format    the card or frame format, e.g. {@code EM4100}, {@code H10301}
 * @param cardId    the normalised card identifier used for access decisions (upper-case hex
 *                  for raw UIDs, decimal card number for Wiegand formats with a facility code)
 * @param rawHex    the card data as it came off the wire, upper-case hex, for audit
 * @param bitCount  number of significant data bits in {@code rawHex}
 * @param readAt    when the last byte of the frame arrived
 * @param facilityCode the facility (site) code, for Wiegand formats that carry one
 */
public record CardRead(String readerId, String format, String cardId, String rawHex, int bitCount, Instant readAt,
                       OptionalInt facilityCode) {
    public CardRead {
        Objects.requireNonNull(readerId, "readerId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(rawHex, "rawHex");
        Objects.requireNonNull(readAt, "readAt");
        Objects.requireNonNull(facilityCode, "facilityCode");
        if (cardId.isEmpty()) {
            throw new IllegalArgumentException("cardId must not be empty");
        }
        if (bitCount <= 0) {
            throw new IllegalArgumentException("bitCount must be positive, got " + bitCount);
        }
    }

    /** A read of a card format without a facility code. */
    public CardRead(String readerId, String format, String cardId, String rawHex, int bitCount, Instant readAt) {
        this(readerId, format, cardId, rawHex, bitCount, readAt, OptionalInt.empty());
    }
}
