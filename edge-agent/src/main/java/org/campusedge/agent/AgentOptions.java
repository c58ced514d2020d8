package org.campusedge.agent;

import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.door.DoorController;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialSettings;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How an {@link Agent} reaches the outside world, for the parts configuration does not choose:
 * which serial link each reader gets (jssc in production; in-process pipes in the demo when
 * socat is absent), the clock, and who is told of each tap.
 *
 * @param links       a serial link for each configured reader
 * @param clock       time source for events
 * @param tapObserver told of every decision on the reader's thread; must be quick
 */
public record AgentOptions(Function<ReaderConfig, SerialLink> links, Clock clock,
                           Consumer<DoorController.TapOutcome> tapObserver) {

    /** Real serial ports, the system clock, nobody watching. */
    public static AgentOptions defaults() {
        return new AgentOptions(AgentOptions::serialPort, Clock.systemUTC(), tap -> { });
    }

    public AgentOptions withLinks(Function<ReaderConfig, SerialLink> newLinks) {
        return new AgentOptions(newLinks, clock, tapObserver);
    }

    public AgentOptions withTapObserver(Consumer<DoorController.TapOutcome> observer) {
        return new AgentOptions(links, clock, observer);
    }

    /** The reader's configured port through jssc, 8N1 at the configured speed. */
    public static SerialLink serialPort(ReaderConfig reader) {
        return new JsscSerialLink(SerialSettings.of8N1(reader.port(), reader.baud()));
    }
}
