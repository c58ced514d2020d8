package org.campusedge.bridge.osdp;

import java.util.Optional;

/**
 * Replies a peripheral device sends to the ACU, with their wire codes (SIA OSDP v2.2, Annex A,
 * table "Reply codes").
 */
public enum OsdpReply {
    ACK(0x40),
    NAK(0x41),
    PDID(0x45),
    PDCAP(0x46),
    LSTATR(0x48),
    ISTATR(0x49),
    OSTATR(0x4A),
    RSTATR(0x4B),
    RAW(0x50),
    FMT(0x51),
    KEYPAD(0x53),
    COM(0x54),
    BIOREADR(0x57),
    BIOMATCHR(0x58),
    CCRYPT(0x76),
    RMAC_I(0x78),
    BUSY(0x79),
    FTSTAT(0x7A),
    PIVDATAR(0x80),
    GENAUTHR(0x81),
    CRAUTHR(0x82),
    MFGSTATR(0x83),
    MFGERRR(0x84),
    MFGREP(0x90),
    XRD(0xB1);

    private final int code;

    OsdpReply(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<OsdpReply> of(int code) {
        for (OsdpReply r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
