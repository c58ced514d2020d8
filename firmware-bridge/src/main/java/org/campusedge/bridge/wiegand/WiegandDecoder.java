package org.campusedge.bridge.wiegand;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Picks the format for a frame by its bit count among the formats a reader is configured for:
 * 26 bits as H10301 and 34 bits as H10306 when enabled, any other length as {@link WiegandFormat#RAW}
 * when that is enabled. A fixed format wins over RAW for its own length, so a reader configured
 * for both decodes a 26-bit badge with parity checked and a 32-bit UID raw. Stateless, thread-safe.
 */
public final class WiegandDecoder {

    private final Set<WiegandFormat> formats;
    private final UidByteOrder uidByteOrder;

    /**
     * @param formats      the formats the reader sends; not empty
     * @param uidByteOrder byte order for {@link WiegandFormat#RAW} UIDs
     */
    public WiegandDecoder(Set<WiegandFormat> formats, UidByteOrder uidByteOrder) {
        Objects.requireNonNull(formats, "formats");
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("at least one Wiegand format is needed");
        }
        this.formats = EnumSet.copyOf(formats);
        this.uidByteOrder = Objects.requireNonNull(uidByteOrder, "uidByteOrder");
    }

    /**
     * Decodes {@code frame} strictly in the format chosen for its length.
     *
     * @throws WiegandException {@code LENGTH} if no configured format takes this many bits, or the parity reason
     */
    public WiegandCard decode(WiegandFrame frame) throws WiegandException {
        for (WiegandFormat f : formats) {
            if (f.bitCount().isPresent() && f.bitCount().getAsInt() == frame.bitCount()) {
                return f.decode(frame, uidByteOrder);
            }
        }
        if (formats.contains(WiegandFormat.RAW)) {
            return WiegandFormat.RAW.decode(frame, uidByteOrder);
        }
        throw new WiegandException(WiegandException.Reason.LENGTH,
                "no configured format " + formats + " takes " + frame.bitCount() + " bits");
    }
}
