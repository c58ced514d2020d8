package org.campusedge.bridge.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of a door's Pi4J outputs with its polarity, provisioned off. Switched only on the door's
 * thread; {@link #release()} switches it off and removes it from the shared context.
 */
final class DoorOutput {

    private static final Logger LOG = LoggerFactory.getLogger(GpioDoor.class);

    private final String doorId;
    private final Context context;
    private final GpioDoor.Pin pin;
    private final DigitalOutput io;

    /** Provisions {@code <doorId>-<role>} on {@code pin}, off. */
    DoorOutput(Context context, String doorId, String role, GpioDoor.Pin pin) {
        this.doorId = doorId;
        this.context = context;
        this.pin = pin;
        String ioId = doorId + "-" + role;
        DigitalState off = pin.level(false);
        this.io = context.create(DigitalOutput.newConfigBuilder(context)
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
            LOG.error("door {}: cannot switch {} {}: {}", doorId, io.id(), on ? "on" : "off", e.toString());
        }
    }

    /** Switches off and removes the pin from the context. */
    void release() {
        set(false);
        try {
            context.shutdown(io.id());
        } catch (RuntimeException e) {
            LOG.warn("door {}: releasing {} failed: {}", doorId, io.id(), e.toString());
        }
    }
}
