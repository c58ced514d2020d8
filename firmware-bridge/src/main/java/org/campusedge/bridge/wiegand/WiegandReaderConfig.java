package org.campusedge.bridge.wiegand;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link WiegandReader} needs to know about one reader.
 *
 * @param id           the configured reader id; names the pins {@code <id>-d0}, {@code <id>-d1}
 *                     and the thread {@code wiegand-<id>}
 * @param d0Bcm        BCM pin wired (through a level shifter) to the reader's DATA0 (green) line
 * @param d1Bcm        BCM pin wired to DATA1 (white)
 * @param formats      the formats this reader sends, see {@link WiegandDecoder}
 * @param uidByteOrder how to read {@link WiegandFormat#RAW} UIDs
 * @param timing       frame timeout, noise spacing, maximum frame length
 * @param repeatWindow the same frame again within this long after the previous one is a repeat
 *                     of the same presentation and is not reported again
 */
public record WiegandReaderConfig(String id, int d0Bcm, int d1Bcm, Set<WiegandFormat> formats, UidByteOrder uidByteOrder,
                                  WiegandTiming timing, Duration repeatWindow) {

    /** Readers that repeat a held card do so about once a second; a second card tap is slower. */
    public static final Duration DEFAULT_REPEAT_WINDOW = Duration.ofSeconds(1);

    public WiegandReaderConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(uidByteOrder, "uidByteOrder");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(repeatWindow, "repeatWindow");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("reader id must not be empty");
        }
        for (int bcm : new int[] {d0Bcm, d1Bcm}) {
            if (bcm < 0 || bcm > 27) {
                throw new IllegalArgumentException("reader " + id + ": BCM pin must be 0..27, got " + bcm);
            }
        }
        if (d0Bcm == d1Bcm) {
            throw new IllegalArgumentException("reader " + id + ": D0 and D1 cannot share BCM pin " + d0Bcm);
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("reader " + id + ": at least one format is needed");
        }
        if (repeatWindow.isNegative()) {
            throw new IllegalArgumentException("reader " + id + ": repeatWindow must not be negative, got " + repeatWindow);
        }
        formats = Set.copyOf(formats);
    }

    /** A reader on {@code d0Bcm}/{@code d1Bcm} taking H10301, H10306 and raw UIDs as sent, with default timing. */
    public static WiegandReaderConfig of(String id, int d0Bcm, int d1Bcm) {
        return new WiegandReaderConfig(id, d0Bcm, d1Bcm, EnumSet.allOf(WiegandFormat.class), UidByteOrder.AS_SENT,
                WiegandTiming.DEFAULTS, DEFAULT_REPEAT_WINDOW);
    }

    /** The Pi4J id of the D0 input. */
    public String d0Id() {
        return id + "-d0";
    }

    /** The Pi4J id of the D1 input. */
    public String d1Id() {
        return id + "-d1";
    }
}
