package org.campusedge.bridge;

import java.time.Duration;
import java.util.Objects;

/**
 * What the door should show after an access decision: open the strike or not, and for how
 * long to hold the relay and the status LED.
 *
 * @param granted    whether access was granted (relay pulses, LED lit) or denied (LED blinks)
 * @param relayPulse how long the door-strike relay stays energised when granted
 */
public record Feedback(boolean granted, Duration relayPulse) {
    public Feedback {
        Objects.requireNonNull(relayPulse, "relayPulse");
        if (relayPulse.isNegative() || relayPulse.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("relayPulse must be within 0..60 s, got " + relayPulse);
        }
    }

    public static Feedback grant(Duration relayPulse) {
        return new Feedback(true, relayPulse);
    }

    public static Feedback deny() {
        return new Feedback(false, Duration.ZERO);
    }
}
