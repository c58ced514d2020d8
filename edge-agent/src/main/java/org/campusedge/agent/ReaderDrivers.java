package org.campusedge.agent;

import com.pi4j.context.Context;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.FeedbackSink;
import org.campusedge.bridge.ReaderAlert;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.osdp.OsdpBus;
import org.campusedge.bridge.osdp.OsdpDoor;
import org.campusedge.bridge.osdp.OsdpPeripheral;
import org.campusedge.bridge.pn532.Pn532Reader;
import org.campusedge.bridge.rdm6300.Rdm6300Reader;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.wiegand.WiegandReader;
import org.campusedge.bridge.wiegand.WiegandReaderConfig;
import org.campusedge.bridge.wiegand.WiegandTiming;
import org.campusedge.agent.config.WiegandInput;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds each configured reader's driver and its door's feedback: a serial reader with GPIO
 * outputs, or an OSDP reader that shows feedback itself unless GPIO pins are configured. OSDP
 * readers on the same port share one {@link OsdpBus}. Used on the agent's start-up thread only.
 */
final class ReaderDrivers {

    /** A reader and the feedback of its door. */
    record Wired(CardReader reader, FeedbackSink door) {
    }

    private final Function<ReaderConfig, SerialLink> links;
    private final Clock clock;
    private final Map<String, OsdpBus> buses = new HashMap<>();

    ReaderDrivers(Function<ReaderConfig, SerialLink> links, Clock clock) {
        this.links = links;
        this.clock = clock;
    }

    /**
     * @param listenerFor makes the reader's listener once its door is known (the door controller)
     */
    Wired create(ReaderConfig reader, Context gpio, Function<FeedbackSink, ReaderListener> listenerFor) {
        return switch (reader.protocol()) {
            case RDM6300 -> {
                FeedbackSink door = DoorHardware.forReader(reader, gpio);
                yield new Wired(new Rdm6300Reader(reader.id(), links.apply(reader), listenerFor.apply(door), clock), door);
            }
            case PN532 -> {
                FeedbackSink door = DoorHardware.forReader(reader, gpio);
                yield new Wired(new Pn532Reader(reader.id(), links.apply(reader), listenerFor.apply(door), clock), door);
            }
            case WIEGAND -> {
                FeedbackSink door = DoorHardware.forReader(reader, gpio);
                WiegandInput in = reader.wiegand().orElseThrow();
                WiegandReaderConfig wc = new WiegandReaderConfig(reader.id(), in.d0Pin(), in.d1Pin(), in.formats(),
                        in.byteOrder(), new WiegandTiming(in.interBitTimeout(), WiegandTiming.DEFAULTS.minBitSpacing(),
                        WiegandTiming.DEFAULTS.maxBits()), WiegandReaderConfig.DEFAULT_REPEAT_WINDOW);
                yield new Wired(new WiegandReader(gpio, wc, listenerFor.apply(door), clock), door);
            }
            case OSDP -> {
                OsdpBus bus = buses.computeIfAbsent(reader.port(),
                        port -> new OsdpBus(busName(port), links.apply(reader), OsdpBus.Options.defaults(), clock));
                Deferred deferred = new Deferred();
                OsdpPeripheral pd = bus.add(reader.id(), reader.address().orElseThrow(), deferred, OsdpKeys.security(reader));
                FeedbackSink door = DoorHardware.wired(reader) ? DoorHardware.forReader(reader, gpio) : new OsdpDoor(pd, true);
                deferred.target = listenerFor.apply(door);
                yield new Wired(pd, door);
            }
        };
    }

    /** A short bus name for thread names and logs: the device's file name, e.g. {@code campus-rs485}. */
    private static String busName(String port) {
        String last = port.substring(port.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]+", "-");
        return last.isEmpty() ? "rs485" : last;
    }

    /** Forwards to a listener created after the PD (which the door needs first). */
    private static final class Deferred implements ReaderListener {
        private volatile ReaderListener target;

        @Override
        public void onCardRead(CardRead read) {
            target.onCardRead(read);
        }

        @Override
        public void onStatus(ReaderStatus status) {
            target.onStatus(status);
        }

        @Override
        public void onAlert(ReaderAlert alert) {
            target.onAlert(alert);
        }
    }
}
