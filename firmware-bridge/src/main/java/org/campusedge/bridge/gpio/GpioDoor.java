package org.campusedge.bridge.gpio;

import com.pi4j.context.Context;
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
 * A door's GPIO outputs: the door-strike relay, the status LED and the buzzer, each optional,
 * addressed by BCM pin number and optionally active-low (most Pi relay boards switch on a LOW
 * input). A grant energises the relay and lights the LED for the pulse time; a grant during a
 * pulse extends it. A denial blinks the LED {@value #DENY_BLINKS} times ({@value #DENY_BLINK_MS} ms
 * on, as long off) unless a grant is being shown. The buzzer answers every decision, even during
 * a pulse, so the person at the door hears their own card: one {@value #BEEP_MS} ms beep for a
 * grant, {@value #DENY_BEEPS} for a denial ({@value #BEEP_MS} ms on, as long off); a new decision
 * cuts the previous pattern short.
 *
 * <p>Threads: {@link #apply} only hands work to this door's own single thread {@code door-<id>},
 * which owns the pin states and the pulse and blink timers. The Pi4J context is shared and not
 * owned: {@link #close()} releases this door's pins, never the context. Pin ids in the context are
 * {@code <id>-relay}, {@code <id>-led} and {@code <id>-buzzer}, so doors with different ids share one context.
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
    private static final int DENY_BEEPS = 3;
    private static final long BEEP_MS = 80;

    private final String id;
    private final Context context;
    private final Optional<DoorOutput> relay;
    private final Optional<DoorOutput> led;
    private final Optional<DoorOutput> buzzer;
    private final ScheduledExecutorService timer;
    private final AtomicLong pulses = new AtomicLong();
    private final AtomicLong denials = new AtomicLong();
    private volatile boolean closed;
    /** Door thread only. */
    private ScheduledFuture<?> pulseEnd;
    private long pulseEndsAtNanos;
    private final List<ScheduledFuture<?>> blinks = new ArrayList<>();
    private final List<ScheduledFuture<?>> beeps = new ArrayList<>();

    /** Active-high relay and LED, as most breakout LEDs and MOSFET strike drivers are wired. */
    public GpioDoor(Context context, String doorId, OptionalInt relayPin, OptionalInt ledPin) {
        this(context, doorId, pin(relayPin), pin(ledPin));
    }

    /** Relay and LED with their polarity, no buzzer. */
    public GpioDoor(Context context, String doorId, Optional<Pin> relay, Optional<Pin> led) {
        this(context, doorId, relay, led, Optional.empty());
    }

    /**
     * @param context the shared Pi4J context (not shut down by this door)
     * @param doorId  unique id, used in Pi4J ids and the thread name
     * @param relay   the strike relay pin, if wired
     * @param led     the status LED pin, if wired
     * @param buzzer  the buzzer pin (through a transistor: a Pi pin cannot drive one), if wired
     */
    public GpioDoor(Context context, String doorId, Optional<Pin> relay, Optional<Pin> led, Optional<Pin> buzzer) {
        this.id = Objects.requireNonNull(doorId, "doorId");
        this.context = Objects.requireNonNull(context, "context");
        requireDistinct(doorId, "relay", relay, "LED", led);
        requireDistinct(doorId, "relay", relay, "buzzer", buzzer);
        requireDistinct(doorId, "LED", led, "buzzer", buzzer);
        List<DoorOutput> made = new ArrayList<>();
        try {
            this.relay = provision(doorId, "relay", relay, made);
            this.led = provision(doorId, "led", led, made);
            this.buzzer = provision(doorId, "buzzer", buzzer, made);
        } catch (RuntimeException e) {
            made.forEach(DoorOutput::release);
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "door-" + doorId);
            t.setDaemon(true);
            return t;
        });
    }

    private Optional<DoorOutput> provision(String doorId, String role, Optional<Pin> pin, List<DoorOutput> made) {
        Optional<DoorOutput> out = pin.map(p -> new DoorOutput(context, doorId, role, p));
        out.ifPresent(made::add);
        return out;
    }

    private static void requireDistinct(String doorId, String aName, Optional<Pin> a, String bName, Optional<Pin> b) {
        if (a.isPresent() && b.isPresent() && a.get().bcm() == b.get().bcm()) {
            throw new IllegalArgumentException("door " + doorId + ": " + aName + " and " + bName
                    + " cannot share BCM pin " + a.get().bcm());
        }
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
                timer.execute(() -> {
                    beep(1);
                    grant(feedback.relayPulse().toNanos());
                });
            } else {
                denials.incrementAndGet();
                timer.execute(() -> {
                    beep(DENY_BEEPS);
                    deny();
                });
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

    /** Door thread. Plays {@code count} beeps, replacing any pattern still playing. */
    private void beep(int count) {
        if (buzzer.isEmpty()) {
            return;
        }
        beeps.forEach(f -> f.cancel(false));
        beeps.clear();
        for (int i = 0; i < count; i++) {
            beeps.add(timer.schedule(() -> set(buzzer, true), 2 * i * BEEP_MS, TimeUnit.MILLISECONDS));
            beeps.add(timer.schedule(() -> set(buzzer, false), (2 * i + 1) * BEEP_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** Door thread. */
    private void cancelBlinks() {
        blinks.forEach(f -> f.cancel(false));
        blinks.clear();
    }

    private void set(Optional<DoorOutput> out, boolean on) {
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

    /** Stops the door thread, turns every output off and releases the pins. The context stays up. Idempotent. */
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
        relay.ifPresent(DoorOutput::release);
        led.ifPresent(DoorOutput::release);
        buzzer.ifPresent(DoorOutput::release);
    }
}
