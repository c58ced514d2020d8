package org.campusedge.agent;

import com.pi4j.context.Context;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.door.UnwiredDoor;
import org.campusedge.bridge.FeedbackSink;
import org.campusedge.bridge.gpio.GpioDoor;

/** Picks the feedback hardware of a reader's door from its configuration. */
final class DoorHardware {

    private DoorHardware() {
    }

    static FeedbackSink forReader(ReaderConfig reader, Context gpio) {
        if (!wired(reader)) {
            return new UnwiredDoor();
        }
        return new GpioDoor(gpio, reader.id(), pin(reader.relayPin()), pin(reader.ledPin()), pin(reader.buzzerPin()));
    }

    /** Whether the door has any GPIO output. */
    static boolean wired(ReaderConfig reader) {
        return reader.relayPin().isPresent() || reader.ledPin().isPresent() || reader.buzzerPin().isPresent();
    }

    private static java.util.Optional<GpioDoor.Pin> pin(java.util.OptionalInt bcm) {
        return bcm.isPresent() ? java.util.Optional.of(GpioDoor.Pin.activeHigh(bcm.getAsInt())) : java.util.Optional.empty();
    }
}
