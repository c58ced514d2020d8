package org.campusedge.bridge.wiegand;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Turns bit pulses into frames. Fed {@link #onPulse} for every falling edge (0 for D0, 1 for D1)
 * with its time in nanoseconds from any monotonic source, and {@link #poll} whenever the owner
 * wakes up; a frame ends when no bit has come for {@link WiegandTiming#interBitTimeout()} and is
 * handed to the sink, from inside {@code onPulse} (a pulse after the gap) or {@code poll}.
 *
 * <p>What is not a clean frame is counted, never thrown: a pulse too soon after the previous
 * one (both lines low at once, ringing) is noise and spoils its frame; a burst longer than
 * {@link WiegandTiming#maxBits()} overflows; the bits of spoiled and overflowed frames are
 * counted as dropped. All timing comes from the caller, so tests are deterministic.
 *
 * <p>Not thread-safe: one owner thread feeds and polls it (the reader thread in
 * {@link WiegandReader}). Counters may be read from any thread.
 */
public final class WiegandAssembler {

    /** Where the assembler is in a frame. */
    enum State {
        /** Between frames. */
        IDLE,
        /** Receiving bits of a frame not yet spoiled. */
        COLLECTING,
        /** Receiving a frame that will be dropped (noise seen or too many bits). */
        DISCARDING
    }

    private final WiegandTiming timing;
    private final Consumer<WiegandFrame> sink;
    private final long timeoutNanos;
    private final long minSpacingNanos;
    private State state = State.IDLE;
    private long bits;
    private int count;
    private long lastPulseNanos;
    private volatile long frames;
    private volatile long droppedBits;
    private volatile long noisePulses;
    private volatile long droppedFrames;

    public WiegandAssembler(WiegandTiming timing, Consumer<WiegandFrame> sink) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timeoutNanos = timing.interBitTimeout().toNanos();
        this.minSpacingNanos = timing.minBitSpacing().toNanos();
    }

    /** A falling edge on D0 ({@code bit} 0) or D1 ({@code bit} 1) at {@code nanos}. */
    public void onPulse(int bit, long nanos) {
        if (bit != 0 && bit != 1) {
            throw new IllegalArgumentException("a Wiegand bit is 0 or 1, got " + bit);
        }
        poll(nanos);
        if (state == State.IDLE) {
            state = State.COLLECTING;
            lastPulseNanos = nanos;
            append(bit);
            return;
        }
        long gap = nanos - lastPulseNanos;
        lastPulseNanos = nanos;
        // Two edges at one instant (both lines low) or closer than any reader sends bits: the
        // line is noisy and the frame cannot be trusted, even if its parity happened to hold.
        if (gap <= 0 || gap < minSpacingNanos) {
            noisePulses++;
            state = State.DISCARDING;
            return;
        }
        append(bit);
    }

    private void append(int bit) {
        if (count == timing.maxBits()) {
            state = State.DISCARDING;
        }
        if (state == State.DISCARDING) {
            count++;
            return;
        }
        bits = (bits << 1) | bit;
        count++;
    }

    /** Ends the current frame if no pulse has come for the timeout by {@code nanos}. */
    public void poll(long nanos) {
        if (state == State.IDLE || nanos - lastPulseNanos < timeoutNanos) {
            return;
        }
        State ended = state;
        int n = count;
        long b = bits;
        state = State.IDLE;
        bits = 0;
        count = 0;
        if (ended == State.DISCARDING) {
            droppedBits += n; // bits before frames: a reader of the frame count sees its bits
            droppedFrames++;
            return;
        }
        frames++;
        sink.accept(new WiegandFrame(n, b));
    }

    /** When the frame in progress will end if no other pulse comes; empty between frames. */
    public OptionalLong frameEndsAtNanos() {
        return state == State.IDLE ? OptionalLong.empty() : OptionalLong.of(lastPulseNanos + timeoutNanos);
    }

    State state() {
        return state;
    }

    /** Frames handed to the sink. */
    public long frames() {
        return frames;
    }

    /** Bits of frames dropped for noise or length. */
    public long droppedBits() {
        return droppedBits;
    }

    /** Pulses rejected as noise. */
    public long noisePulses() {
        return noisePulses;
    }

    /** Frames dropped for noise or length. */
    public long droppedFrames() {
        return droppedFrames;
    }
}
