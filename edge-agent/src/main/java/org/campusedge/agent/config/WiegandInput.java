package org.campusedge.agent.config;

import org.campusedge.bridge.wiegand.UidByteOrder;
import org.campusedge.bridge.wiegand.WiegandFormat;

import java.time.Duration;
import java.util.Set;

/**
 * The GPIO inputs of a Wiegand reader.
 *
 * @param d0Pin            BCM pin of the DATA0 line (through a level shifter: readers drive 5 V)
 * @param d1Pin            BCM pin of the DATA1 line
 * @param formats          frame layouts to accept
 * @param byteOrder        byte order of raw UIDs
 * @param interBitTimeout  silence that ends a frame
 */
public record WiegandInput(int d0Pin, int d1Pin, Set<WiegandFormat> formats, UidByteOrder byteOrder,
                           Duration interBitTimeout) {
    public WiegandInput {
        formats = Set.copyOf(formats);
    }
}
