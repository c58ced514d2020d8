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
        if (reader.relayPin().isEmpty() && reader.ledPin().isEmpty()) {
            return new UnwiredDoor();
        }
        return new GpioDoor(gpio, reader.id(), reader.relayPin(), reader.ledPin());
    }
}
