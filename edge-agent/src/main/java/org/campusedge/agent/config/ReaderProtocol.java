package org.campusedge.agent.config;

import java.util.Locale;

/** Card-reader protocols the agent can drive. */
public enum ReaderProtocol {
    /** 125 kHz EM4100 UART module, 9600 8N1. */
    RDM6300,
    /** OSDP v2 peripheral device on an RS-485 bus, by address. */
    OSDP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
