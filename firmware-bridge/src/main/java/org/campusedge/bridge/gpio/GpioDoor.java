package org.campusedge.bridge.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A door's GPIO outputs: the door-strike relay and the status LED (BCM pin numbers). A grant
 * energises the relay and lights the LED for the pulse time; a second grant during a pulse
 * extends it. A denial blinks the LED three times. {@link #apply} only schedules: the timing
 * runs on this door's own thread {@code door-<id>}, which owns the pin states.
 */
public final class GpioDoor implements FeedbackSink {

    private static final Logger LOG = LoggerFactory.getLogger(GpioDoor.class);
    private static final int DENY_BLINKS = 3;
    private static final long DENY_BLINK_MS = 100;

    private final String id;
    private final Context context;
    private final Optional<DigitalOutput> relay;
    private final Optional<DigitalOutput> led;
    private final ScheduledExecutorService timer;
    private final AtomicLong pulses = new AtomicLong();
    private final AtomicLong denials = new AtomicLong();
    private ScheduledFuture<?> pulseEnd;
    private volatile boolean closed;

    /**
     * @param context  the shared Pi4J context (not shut down by this door)
     * @param doorId   unique id, used in Pi4J ids and the thread name
     * @param relayPin BCM pin of the strike relay, if wired
     * @param ledPin   BCM pin of the status LED, if wired
     */
    public GpioDoor(Context context, String doorId, OptionalInt relayPin, OptionalInt ledPin) {
        this.id = doorId;
        this.context = context;
        this.relay = output(context, doorId + "-relay", relayPin);
        this.led = output(context, doorId + "-led", ledPin);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "door-" + doorId);
            t.setDaemon(true);
            return t;
        });
    }

    private static Optional<DigitalOutput> output(Context context, String ioId, OptionalInt pin) {
        if (pin.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(context.create(DigitalOutput.newConfigBuilder(context)
                .id(ioId)
                .name(ioId)
                .address(pin.getAsInt())
                .initial(DigitalState.LOW)
                .shutdown(DigitalState.LOW)
                .build()));
    }

    @Override
    public void apply(Feedback feedback) {
        if (closed) {
            return;
        }
        if (feedback.granted()) {
            pulses.incrementAndGet();
            timer.execute(() -> grant(feedback.relayPulse().toMillis()));
        } else {
            denials.incrementAndGet();
            timer.execute(this::deny);
        }
    }

    /** Runs on the door thread. */
    private void grant(long pulseMs) {
        if (pulseEnd != null) {
            pulseEnd.cancel(false);
        }
        set(relay, DigitalState.HIGH);
        set(led, DigitalState.HIGH);
        pulseEnd = timer.schedule(() -> {
            set(relay, DigitalState.LOW);
            set(led, DigitalState.LOW);
            pulseEnd = null;
        }, pulseMs, TimeUnit.MILLISECONDS);
    }

    /** Runs on the door thread; leaves a running grant pulse alone. */
    private void deny() {
        if (pulseEnd != null || led.isEmpty()) {
            return;
        }
        for (int i = 0; i < DENY_BLINKS; i++) {
            timer.schedule(() -> set(led, DigitalState.HIGH), 2 * i * DENY_BLINK_MS, TimeUnit.MILLISECONDS);
            timer.schedule(() -> set(led, DigitalState.LOW), (2 * i + 1) * DENY_BLINK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void set(Optional<DigitalOutput> out, DigitalState state) {
        out.ifPresent(o -> {
            try {
                o.state(state);
            } catch (RuntimeException e) {
                LOG.error("door {}: cannot set {} {}: {}", id, o.id(), state, e.getMessage());
            }
        });
    }

    /** Grants shown since start. */
    public long pulses() {
        return pulses.get();
    }

    /** Denials shown since start. */
    public long denials() {
        return denials.get();
    }

    /** Turns both outputs off, stops the door thread and releases the pins. The context stays up. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Optional<DigitalOutput> out : java.util.List.of(relay, led)) {
            out.ifPresent(o -> {
                try {
                    o.state(DigitalState.LOW);
                    context.shutdown(o.id());
                } catch (RuntimeException e) {
                    LOG.warn("door {}: releasing {} failed: {}", id, o.id(), e.getMessage());
                }
            });
        }
    }
}
