package org.campusedge.bridge.osdp;

import java.util.Optional;

/** Error codes carried by osdp_NAK (SIA OSDP v2.2 / IEC 60839-11-5, reply osdp_NAK). */
public enum OsdpNakCode {
    NO_ERROR(0x00, "no error"),
    CHECK_CHARACTER(0x01, "message check character (CRC or checksum) error"),
    COMMAND_LENGTH(0x02, "command length error"),
    UNKNOWN_COMMAND(0x03, "unknown command code"),
    SEQUENCE_NUMBER(0x04, "unexpected sequence number"),
    UNSUPPORTED_SECURITY_BLOCK(0x05, "security block not supported"),
    ENCRYPTION_REQUIRED(0x06, "communication security conditions not met"),
    BIO_TYPE(0x07, "biometric type not supported"),
    BIO_FORMAT(0x08, "biometric format not supported"),
    UNABLE_TO_PROCESS(0x09, "unable to process command record");

    private final int code;
    private final String meaning;

    OsdpNakCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<OsdpNakCode> of(int code) {
        for (OsdpNakCode n : values()) {
            if (n.code == code) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
