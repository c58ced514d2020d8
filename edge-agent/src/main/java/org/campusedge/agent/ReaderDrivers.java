package org.campusedge.agent;

import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.rdm6300.Rdm6300Reader;
import org.campusedge.bridge.serial.SerialLink;

import java.time.Clock;

/** Builds the driver for a configured reader's protocol. */
final class ReaderDrivers {

    private ReaderDrivers() {
    }

    static CardReader create(ReaderConfig reader, SerialLink link, ReaderListener listener, Clock clock) {
        return switch (reader.protocol()) {
            case RDM6300 -> new Rdm6300Reader(reader.id(), link, listener, clock);
        };
    }
}
