package org.campusedge.sync.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A run of one stream's sequence numbers the box lost before the data center had them, e.g.
 * readings deleted to keep the journal under its disk budget. Declared, never silent: the center
 * records it and counts it, so events held plus declared gaps add up to what the box journaled.
 *
 * @param fromSeq first lost seq
 * @param toSeq   last lost seq
 * @param count   events lost: always {@code toSeq - fromSeq + 1} (seqs are gap-free on the box)
 * @param reason  why, a short code such as {@code disk_budget}
 * @param lostAt  when the box deleted them
 */
public record WireGap(long fromSeq, long toSeq, long count, String reason, Instant lostAt) {

    /** Reason codes: short, lower-case words joined by '_'. */
    public static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public WireGap {
        Objects.requireNonNull(lostAt, "lostAt");
        if (fromSeq < 1) {
            throw new IllegalArgumentException("fromSeq must be >= 1, got " + fromSeq);
        }
        if (toSeq < fromSeq) {
            throw new IllegalArgumentException("toSeq must be >= fromSeq, got " + fromSeq + ".." + toSeq);
        }
        if (count != toSeq - fromSeq + 1) {
            throw new IllegalArgumentException("count must be toSeq - fromSeq + 1 = " + (toSeq - fromSeq + 1) + ", got " + count);
        }
        if (reason == null || !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("reason must match " + REASON + ", got " + reason);
        }
    }

    /** A gap {@code fromSeq..toSeq}. */
    public static WireGap of(long fromSeq, long toSeq, String reason, Instant lostAt) {
        return new WireGap(fromSeq, toSeq, toSeq - fromSeq + 1, reason, lostAt);
    }
}
