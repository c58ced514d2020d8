package org.campusedge.agent.config;

import java.util.Locale;

/** Card-reader protocols the agent can drive. */
public enum ReaderProtocol {
    /** 125 kHz EM4100 UART module, 9600 8N1. */
    RDM6300;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
