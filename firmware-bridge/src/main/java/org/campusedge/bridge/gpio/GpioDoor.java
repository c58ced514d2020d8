package org.campusedge.bridge.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A door's GPIO outputs: the door-strike relay and the status LED, each optional, addressed by
 * BCM pin number and optionally active-low (most Pi relay boards switch on a LOW input). A grant
 * energises the relay and lights the LED for the pulse time; a grant during a pulse extends it.
 * A denial blinks the LED {@value #DENY_BLINKS} times ({@value #DENY_BLINK_MS} ms on, as long off)
 * unless a grant is being shown.
 *
 * <p>Threads: {@link #apply} only hands work to this door's own single thread {@code door-<id>},
 * which owns the pin states and the pulse and blink timers. The Pi4J context is shared and not
 * owned: {@link #close()} releases this door's pins, never the context. Pin ids in the context are
 * {@code <id>-relay} and {@code <id>-led}, so doors with different ids share one context.
 */
public final class GpioDoor implements FeedbackSink {

    /** One output pin: BCM number and polarity. */
    public record Pin(int bcm, boolean activeLow) {
        public Pin {
            if (bcm < 0 || bcm > 27) {
                throw new IllegalArgumentException("BCM pin must be 0..27 on a Raspberry Pi header, got " + bcm);
            }
        }

        public static Pin activeHigh(int bcm) {
            return new Pin(bcm, false);
        }

        public static Pin activeLow(int bcm) {
            return new Pin(bcm, true);
        }

        /** The electrical level that means "on" (or "off") for this pin. */
        DigitalState level(boolean on) {
            return on != activeLow ? DigitalState.HIGH : DigitalState.LOW;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GpioDoor.class);
    private static final int DENY_BLINKS = 3;
    private static final long DENY_BLINK_MS = 100;

    private final String id;
    private final Context context;
    private final Optional<Output> relay;
    private final Optional<Output> led;
    private final ScheduledExecutorService timer;
    private final AtomicLong pulses = new AtomicLong();
    private final AtomicLong denials = new AtomicLong();
    private volatile boolean closed;
    /** Door thread only. */
    private ScheduledFuture<?> pulseEnd;
    private long pulseEndsAtNanos;
    private final List<ScheduledFuture<?>> blinks = new ArrayList<>();

    /** Active-high relay and LED, as most breakout LEDs and MOSFET strike drivers are wired. */
    public GpioDoor(Context context, String doorId, OptionalInt relayPin, OptionalInt ledPin) {
        this(context, doorId, pin(relayPin), pin(ledPin));
    }

    /**
     * @param context the shared Pi4J context (not shut down by this door)
     * @param doorId  unique id, used in Pi4J ids and the thread name
     * @param relay   the strike relay pin, if wired
     * @param led     the status LED pin, if wired
     */
    public GpioDoor(Context context, String doorId, Optional<Pin> relay, Optional<Pin> led) {
        this.id = Objects.requireNonNull(doorId, "doorId");
        this.context = Objects.requireNonNull(context, "context");
        if (relay.isPresent() && led.isPresent() && relay.get().bcm() == led.get().bcm()) {
            throw new IllegalArgumentException("door " + doorId + ": relay and LED cannot share BCM pin " + relay.get().bcm());
        }
        this.relay = relay.map(p -> new Output(context, doorId + "-relay", p));
        try {
            this.led = led.map(p -> new Output(context, doorId + "-led", p));
        } catch (RuntimeException e) {
            this.relay.ifPresent(Output::release);
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "door-" + doorId);
            t.setDaemon(true);
            return t;
        });
    }

    private static Optional<Pin> pin(OptionalInt bcm) {
        return bcm.isPresent() ? Optional.of(Pin.activeHigh(bcm.getAsInt())) : Optional.empty();
    }

    public String id() {
        return id;
    }

    @Override
    public void apply(Feedback feedback) {
        if (closed) {
            return;
        }
        try {
            if (feedback.granted()) {
                pulses.incrementAndGet();
                timer.execute(() -> grant(feedback.relayPulse().toNanos()));
            } else {
                denials.incrementAndGet();
                timer.execute(this::deny);
            }
        } catch (RejectedExecutionException e) {
            // close() won the race: the door is being switched off, showing nothing is right.
            LOG.debug("door {}: feedback after close ignored", id);
        }
    }

    /** Door thread. Starts or extends the pulse so it lasts at least {@code pulseNanos} from now. */
    private void grant(long pulseNanos) {
        cancelBlinks();
        long endsAt = System.nanoTime() + pulseNanos;
        if (pulseEnd != null) {
            if (endsAt - pulseEndsAtNanos <= 0) {
                return;
            }
            pulseEnd.cancel(false);
        }
        set(relay, true);
        set(led, true);
        pulseEndsAtNanos = endsAt;
        pulseEnd = timer.schedule(this::endPulse, pulseNanos, TimeUnit.NANOSECONDS);
    }

    /** Door thread. */
    private void endPulse() {
        set(relay, false);
        set(led, false);
        pulseEnd = null;
    }

    /** Door thread. Blinks the LED; a running grant pulse wins and is left alone. */
    private void deny() {
        if (pulseEnd != null || led.isEmpty()) {
            return;
        }
        cancelBlinks();
        for (int i = 0; i < DENY_BLINKS; i++) {
            blinks.add(timer.schedule(() -> set(led, true), 2 * i * DENY_BLINK_MS, TimeUnit.MILLISECONDS));
            blinks.add(timer.schedule(() -> set(led, false), (2 * i + 1) * DENY_BLINK_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** Door thread. */
    private void cancelBlinks() {
        blinks.forEach(f -> f.cancel(false));
        blinks.clear();
    }

    private void set(Optional<Output> out, boolean on) {
        out.ifPresent(o -> o.set(on));
    }

    /** Grants shown since start (extensions included). */
    public long pulses() {
        return pulses.get();
    }

    /** Denials shown since start. */
    public long denials() {
        return denials.get();
    }

    /** Stops the door thread, turns both outputs off and releases the pins. The context stays up. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("door {}: thread door-{} did not stop within 2 s", id, id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.ifPresent(Output::release);
        led.ifPresent(Output::release);
    }

    /** One Pi4J output with its polarity. */
    private final class Output {
        private final Pin pin;
        private final DigitalOutput io;

        Output(Context ctx, String ioId, Pin pin) {
            this.pin = pin;
            DigitalState off = pin.level(false);
            this.io = ctx.create(DigitalOutput.newConfigBuilder(ctx)
                    .id(ioId)
                    .name(ioId + " (BCM " + pin.bcm() + (pin.activeLow() ? ", active-low)" : ")"))
                    .address(pin.bcm())
                    .initial(off)
                    .shutdown(off)
                    .build());
        }

        void set(boolean on) {
            try {
                io.state(pin.level(on));
            } catch (RuntimeException e) {
                LOG.error("door {}: cannot switch {} {}: {}", id, io.id(), on ? "on" : "off", e.toString());
            }
        }

        /** Switches off and removes the pin from the context. */
        void release() {
            set(false);
            try {
                context.shutdown(io.id());
            } catch (RuntimeException e) {
                LOG.warn("door {}: releasing {} failed: {}", id, io.id(), e.toString());
            }
        }
    }
}
