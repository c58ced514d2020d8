package org.campusedge.bridge.osdp;

import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;

import java.time.Duration;

/**
 * A door's feedback shown by the OSDP reader itself: on a grant the reader's LED turns green and
 * it beeps once, and output 0 (the strike relay of readers that drive one) is pulsed; on a denial
 * the LED flashes red and it beeps three times. The commands are queued for the PD's next turn.
 */
public final class OsdpDoor implements FeedbackSink {

    private final OsdpPeripheral pd;
    private final boolean pulseOutput;

    /**
     * @param pd          the reader at the door
     * @param pulseOutput whether the reader's output 0 drives the door strike
     */
    public OsdpDoor(OsdpPeripheral pd, boolean pulseOutput) {
        this.pd = pd;
        this.pulseOutput = pulseOutput;
    }

    @Override
    public void apply(Feedback feedback) {
        if (feedback.granted()) {
            Duration pulse = feedback.relayPulse().isZero() ? Duration.ofSeconds(1) : feedback.relayPulse();
            pd.send(OsdpCommand.LED, OsdpCommands.led(0, 0, OsdpCommands.Color.GREEN, OsdpCommands.Color.GREEN,
                    Duration.ofMillis(500), Duration.ZERO, pulse, OsdpCommands.Color.BLACK));
            pd.send(OsdpCommand.BUZ, OsdpCommands.buzzer(0, Duration.ofMillis(100), Duration.ZERO, 1));
            if (pulseOutput) {
                pd.send(OsdpCommand.OUT, OsdpCommands.pulseOutput(0, pulse));
            }
        } else {
            pd.send(OsdpCommand.LED, OsdpCommands.led(0, 0, OsdpCommands.Color.RED, OsdpCommands.Color.BLACK,
                    Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(600), OsdpCommands.Color.BLACK));
            pd.send(OsdpCommand.BUZ, OsdpCommands.buzzer(0, Duration.ofMillis(100), Duration.ofMillis(100), 3));
        }
    }

    /** The PD's commands stop with its bus; nothing else to release. */
    @Override
    public void close() {
        pd.queue.clear();
    }
}
