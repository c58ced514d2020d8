package org.campusedge.bridge.wiegand;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The device side of a Wiegand reader, for tests and the demo: plays frames onto the mock D0/D1
 * inputs of a started {@link WiegandReader} as a reader would, each bit a low pulse of
 * {@link #PULSE_WIDTH} on D0 (a 0) or D1 (a 1), one bit every {@link #DEFAULT_BIT_INTERVAL}.
 * Only works on Pi4J's mock platform ({@code GpioContexts.mock()}).
 *
 * <p>Synchronous: each call blocks its caller for the length of the frame (about 1 ms a bit);
 * one thread drives a simulator at a time. Pi4J's mock delivers edges to the reader's listeners
 * on this caller's thread, in order. The pins are not owned: the reader releases them.
 *
 * <p>Timing comes from a {@link Timeline}: the real clock by default, where a busy machine may
 * stretch a pulse or a gap (and so split or spoil a frame, as a real line would); or a virtual
 * one that the reader is also given as its {@code nanoTime}, where every edge lands exactly when
 * the frame says, whatever the machine is doing.
 */
public final class WiegandSimulator {

    /** Low time of each bit pulse: SIA AC-01 allows 20..100 µs. */
    public static final Duration PULSE_WIDTH = Duration.ofNanos(50_000);
    /** Time from one bit's falling edge to the next. */
    public static final Duration DEFAULT_BIT_INTERVAL = Duration.ofMillis(1);

    /** Where the simulator's time comes from. */
    public interface Timeline {

        /** The real clock: {@link System#nanoTime()}, waiting by parking the thread. */
        Timeline REAL = new Timeline() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void waitUntil(long deadlineNanos) {
                long left;
                while ((left = deadlineNanos - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                }
            }
        };

        /** Now, in nanoseconds on this timeline. */
        long nanoTime();

        /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos} (a virtual timeline moves itself there). */
        void waitUntil(long deadlineNanos);
    }

    private final MockDigitalInput d0;
    private final MockDigitalInput d1;
    private final Timeline time;

    /** The simulator for the reader configured as {@code config} on the mock {@code context}, in real time. */
    public WiegandSimulator(Context context, WiegandReaderConfig config) {
        this(context, config, Timeline.REAL);
    }

    /**
     * The simulator for the reader configured as {@code config} on the mock {@code context}, on
     * {@code time} (give the reader the same timeline's {@link Timeline#nanoTime()}).
     */
    public WiegandSimulator(Context context, WiegandReaderConfig config, Timeline time) {
        Objects.requireNonNull(context, "context");
        this.time = Objects.requireNonNull(time, "time");
        this.d0 = mock(context, config.d0Id());
        this.d1 = mock(context, config.d1Id());
        idle();
    }

    private static MockDigitalInput mock(Context context, String ioId) {
        DigitalInput in = context.registry().get(ioId, DigitalInput.class);
        if (!(in instanceof MockDigitalInput)) {
            throw new IllegalArgumentException(ioId + " is not a Pi4J mock input (" + in.getClass().getName()
                    + "); start the reader on GpioContexts.mock()");
        }
        return (MockDigitalInput) in;
    }

    /** Both lines high, as the reader's pull-ups hold them between frames. */
    public void idle() {
        d0.mockState(DigitalState.HIGH);
        d1.mockState(DigitalState.HIGH);
    }

    /** Sends {@code frame} one bit every {@link #DEFAULT_BIT_INTERVAL}. */
    public void play(WiegandFrame frame) {
        play(frame, DEFAULT_BIT_INTERVAL);
    }

    /** Sends {@code frame} one bit every {@code bitInterval} (at least {@link #PULSE_WIDTH} and a little). */
    public void play(WiegandFrame frame, Duration bitInterval) {
        long interval = bitInterval.toNanos();
        if (interval <= PULSE_WIDTH.toNanos()) {
            throw new IllegalArgumentException("bitInterval must exceed the pulse width " + PULSE_WIDTH + ", got " + bitInterval);
        }
        long next = time.nanoTime();
        for (int i = 0; i < frame.bitCount(); i++) {
            time.waitUntil(next);
            // Fixed delay from this edge, never catching up: after a late wake-up a fixed-rate
            // schedule would send the next edges back to back, which a reader never does.
            next = time.nanoTime() + interval;
            pulse(frame.bit(i));
        }
    }

    /** One bit: a {@link #PULSE_WIDTH} low pulse on D0 for 0, on D1 for 1. */
    public void pulse(int bit) {
        MockDigitalInput line = bit == 0 ? d0 : bit == 1 ? d1 : null;
        if (line == null) {
            throw new IllegalArgumentException("a Wiegand bit is 0 or 1, got " + bit);
        }
        line.mockState(DigitalState.LOW);
        time.waitUntil(time.nanoTime() + PULSE_WIDTH.toNanos());
        line.mockState(DigitalState.HIGH);
    }

    /** Noise: both lines pulled low together, as a crossed or induced line does. */
    public void bothLow() {
        d0.mockState(DigitalState.LOW);
        d1.mockState(DigitalState.LOW);
        time.waitUntil(time.nanoTime() + PULSE_WIDTH.toNanos());
        idle();
    }

    /** Waits {@code d} on this simulator's timeline: long enough, say, for the reader to end a frame. */
    public void pause(Duration d) {
        time.waitUntil(time.nanoTime() + d.toNanos());
    }
}
