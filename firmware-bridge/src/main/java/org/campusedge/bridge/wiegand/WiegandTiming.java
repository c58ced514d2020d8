package org.campusedge.bridge.wiegand;

import java.time.Duration;
import java.util.Objects;

/**
 * How the bit assembler tells frames, bits and noise apart.
 *
 * <p>Readers send a bit as a low pulse on D0 (a 0) or D1 (a 1) and nothing between frames. The
 * Wiegand reader interface standard (SIA AC-01) allows 20..100 µs pulses 0.2..20 ms apart; readers
 * in practice send one bit every 1..2 ms. A gap of many bit intervals therefore ends a frame, and
 * two edges closer than the shortest allowed interval cannot both be bits.
 *
 * @param interBitTimeout no bit for this long ends the frame (typically 25 ms)
 * @param minBitSpacing   an edge sooner than this after the previous one is noise; zero accepts
 *                        any spacing except two edges at the same instant
 * @param maxBits         a frame with more bits is dropped whole, 1..{@value WiegandFrame#MAX_BITS}
 */
public record WiegandTiming(Duration interBitTimeout, Duration minBitSpacing, int maxBits) {

    /** 25 ms timeout, 200 µs minimum spacing, 64 bits. */
    public static final WiegandTiming DEFAULTS =
            new WiegandTiming(Duration.ofMillis(25), Duration.ofNanos(200_000), WiegandFrame.MAX_BITS);

    public WiegandTiming {
        Objects.requireNonNull(interBitTimeout, "interBitTimeout");
        Objects.requireNonNull(minBitSpacing, "minBitSpacing");
        if (interBitTimeout.isNegative() || interBitTimeout.isZero() || interBitTimeout.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("interBitTimeout must be within (0, 1 s], got " + interBitTimeout);
        }
        if (minBitSpacing.isNegative() || minBitSpacing.compareTo(interBitTimeout) >= 0) {
            throw new IllegalArgumentException("minBitSpacing must be >= 0 and below interBitTimeout, got " + minBitSpacing);
        }
        if (maxBits < 1 || maxBits > WiegandFrame.MAX_BITS) {
            throw new IllegalArgumentException("maxBits must be 1.." + WiegandFrame.MAX_BITS + ", got " + maxBits);
        }
    }
}
