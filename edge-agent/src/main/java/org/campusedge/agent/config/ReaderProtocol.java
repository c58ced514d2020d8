package org.campusedge.agent.config;

import java.util.Locale;

/** Card-reader protocols the agent can drive. */
public enum ReaderProtocol {
    /** 125 kHz EM4100 UART module, 9600 8N1. */
    RDM6300,
    /** OSDP v2 peripheral device on an RS-485 bus, by address. */
    OSDP,
    /** NXP PN532 13.56 MHz ISO 14443A reader in HSU (UART) mode, 115200 8N1. */
    PN532,
    /** Wiegand reader on two GPIO inputs (DATA0, DATA1). */
    WIEGAND;

    /** Whether the reader is on a serial port (all but Wiegand). */
    public boolean serial() {
        return this != WIEGAND;
    }

    /** The speed the device uses unless configured otherwise. */
    public int defaultBaud() {
        return this == PN532 ? 115_200 : 9600;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
