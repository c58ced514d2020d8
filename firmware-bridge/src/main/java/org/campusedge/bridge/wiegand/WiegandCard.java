package org.campusedge.bridge.wiegand;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A decoded Wiegand credential.
 *
 * @param format       the format it decoded in
 * @param facilityCode the facility (site) code, for formats that have one
 * @param cardNumber   the card number, for formats that have one
 * @param cardId       the id used for access decisions: the decimal card number, or the
 *                     upper-case hex UID for {@link WiegandFormat#RAW}
 * @param frame        the bits as received
 */
public record WiegandCard(WiegandFormat format, OptionalInt facilityCode, OptionalInt cardNumber, String cardId,
                          WiegandFrame frame) {
    public WiegandCard {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(facilityCode, "facilityCode");
        Objects.requireNonNull(cardNumber, "cardNumber");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(frame, "frame");
    }

    /** The frame's bits as upper-case hex, for audit. */
    public String rawHex() {
        return frame.hex();
    }

    public int bitCount() {
        return frame.bitCount();
    }
}
