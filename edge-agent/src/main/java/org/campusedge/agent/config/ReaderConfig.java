package org.campusedge.agent.config;

import org.campusedge.agent.access.Direction;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * One card reader at a room door, and the door hardware it drives.
 *
 * @param id         stable reader id used in events
 * @param protocol   wire protocol of the reader
 * @param port       serial device path, e.g. {@code /dev/campus-reader-studio}
 * @param baud       serial speed
 * @param room       id of the room this door leads into
 * @param door       name of the door within the room, e.g. {@code main}
 * @param address    bus address of an OSDP reader
 * @param relayPin   BCM pin of the door-strike relay, if wired to GPIO
 * @param ledPin     BCM pin of the status LED, if wired to GPIO
 * @param relayPulse how long the strike stays released after a grant
 * @param secureChannel OSDP secure channel settings; empty for plaintext OSDP and other protocols
 * @param buzzerPin  BCM pin of a buzzer at the door, if wired to GPIO
 * @param wiegand    the GPIO inputs of a Wiegand reader
 * @param direction  which way its taps go: in (default), out, or toggle (one reader for both ways)
 */
public record ReaderConfig(String id, ReaderProtocol protocol, String port, int baud, String room, String door,
                           OptionalInt address, OptionalInt relayPin, OptionalInt ledPin, Duration relayPulse,
                           java.util.Optional<SecureChannelConfig> secureChannel, OptionalInt buzzerPin,
                           java.util.Optional<WiegandInput> wiegand, Direction direction) {

    public ReaderConfig {
        java.util.Objects.requireNonNull(direction, "direction");
    }

    /** A reader whose taps go in. */
    public ReaderConfig(String id, ReaderProtocol protocol, String port, int baud, String room, String door,
                        OptionalInt address, OptionalInt relayPin, OptionalInt ledPin, Duration relayPulse,
                        java.util.Optional<SecureChannelConfig> secureChannel, OptionalInt buzzerPin,
                        java.util.Optional<WiegandInput> wiegand) {
        this(id, protocol, port, baud, room, door, address, relayPin, ledPin, relayPulse, secureChannel, buzzerPin,
                wiegand, Direction.IN);
    }
}
