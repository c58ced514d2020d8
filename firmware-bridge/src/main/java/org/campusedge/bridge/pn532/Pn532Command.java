package org.campusedge.bridge.pn532;

import java.util.Optional;

/**
 * The PN532 commands this driver sends, with their wire codes (NXP UM0701-02 "PN532 User Manual"
 * §7). The PN532 answers a command with code {@code c} with a response frame whose PD0 is
 * {@code c + 1} (§6.2.1.1, normal information frame).
 */
public enum Pn532Command {
    /** §7.2.2: IC, Ver, Rev, Support. */
    GET_FIRMWARE_VERSION(0x02),
    /** §7.2.10: Mode, Timeout, IRQ; mode 0x01 is normal mode, the SAM not used. */
    SAM_CONFIGURATION(0x14),
    /** §7.3.1: CfgItem and its values; CfgItem 0x05 sets the retry counts. */
    RF_CONFIGURATION(0x32),
    /** §7.3.5: MaxTg, BrTy, [InitiatorData]. */
    IN_LIST_PASSIVE_TARGET(0x4A),
    /** §7.3.11: Tg (0 releases all targets). */
    IN_RELEASE(0x52);

    private final int code;

    Pn532Command(int code) {
        this.code = code;
    }

    /** The command code (PD0 of a host-to-PN532 frame). */
    public int code() {
        return code;
    }

    /** The code the PN532 puts in PD0 of its response: {@code code() + 1}. */
    public int responseCode() {
        return code + 1;
    }

    /** The command with request code {@code code}, if this driver knows it. */
    public static Optional<Pn532Command> ofCode(int code) {
        for (Pn532Command c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
