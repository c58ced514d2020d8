package org.campusedge.bridge.pn532;

import java.util.HexFormat;
import java.util.List;

/**
 * PN532 frames published by others, with what they decode to. Every field is commented. Frame
 * layout and checksum rules: NXP UM0701-02 "PN532 User Manual" §6.2.1.
 */
final class PublishedVectors {

    /**
     * One published frame.
     *
     * @param source where it was published
     * @param wire   the bytes on the wire, preamble through postamble
     * @param frame  what it decodes to
     */
    record Vector(String source, byte[] wire, Pn532Frame frame) {
        @Override
        public String toString() {
            return source;
        }
    }

    /**
     * A published InListPassiveTarget response with the target its source says it lists.
     *
     * @param vector the frame
     * @param target the target in its data
     */
    record TargetVector(Vector vector, Pn532Target target) {
        @Override
        public String toString() {
            return vector.source();
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static final String DFROBOT = "j13tw/DFRobot_NFC_Module NFC_Class.py";
    private static final String LPC1343 = "microbuilder/LPC1343CodeBase tools/examples/sensors/pn532/ISO14443A_ID/readme.txt";

    /** {@value #DFROBOT}, "# get firmware / # send: 00 00 FF 02 FE D4 02 2A 00". */
    static final Vector GET_FIRMWARE_VERSION = new Vector(DFROBOT + ", get firmware send",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "02"    // LEN: TFI + PD0
                    + "FE"    // LCS: 02 + FE = 0 mod 256
                    + "D4"    // TFI: host to PN532
                    + "02"    // PD0: GetFirmwareVersion
                    + "2A"    // DCS: D4 + 02 + 2A = 0 mod 256
                    + "00"),  // postamble
            Pn532Frame.Information.command(Pn532Command.GET_FIRMWARE_VERSION));

    /** {@value #DFROBOT}, get firmware "return: 00 00 FF 00 FF 00 ..." (the ACK before the response). */
    static final Vector ACK = new Vector(DFROBOT + ", ACK before every response",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "00"    // LEN 0 ...
                    + "FF"    // ... with LCS FF: ACK (UM0701-02 §6.2.1.3)
                    + "00"),  // postamble
            new Pn532Frame.Ack());

    /** {@value #DFROBOT}, get firmware "return: ... 00 00 FF 06 FA D5 03 32 01 06 07 E8 00". */
    static final Vector FIRMWARE_VERSION_RESPONSE = new Vector(DFROBOT + ", get firmware return",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "06"    // LEN: TFI + PD0 + 4 bytes
                    + "FA"    // LCS
                    + "D5"    // TFI: PN532 to host
                    + "03"    // PD0: GetFirmwareVersion + 1
                    + "32"    // IC: PN532
                    + "01"    // Ver: 1
                    + "06"    // Rev: 6 (firmware 1.6)
                    + "07"    // Support: ISO/IEC 14443 TypeA, TypeB, ISO 18092
                    + "E8"    // DCS
                    + "00"),  // postamble
            Pn532Frame.Information.response(Pn532Command.GET_FIRMWARE_VERSION, (byte) 0x32, (byte) 0x01, (byte) 0x06, (byte) 0x07));

    /**
     * {@value #DFROBOT} "wake up reader / send: 55 55 00 ... 00 ff 03 fd d4 14 01 17 00" (the frame
     * after the wake-up preamble); the same bytes in delikely/Secure-Router test/nfc-find-card2.c.
     */
    static final Vector SAM_CONFIGURATION = new Vector(DFROBOT + ", wake up reader send",
            hex("00"          // preamble (the last wake-up zero)
                    + "00FF"  // start code
                    + "03"    // LEN: TFI + PD0 + Mode
                    + "FD"    // LCS
                    + "D4"    // TFI: host to PN532
                    + "14"    // PD0: SAMConfiguration
                    + "01"    // Mode: normal, SAM not used (timeout and IRQ omitted)
                    + "17"    // DCS
                    + "00"),  // postamble
            Pn532Frame.Information.command(Pn532Command.SAM_CONFIGURATION, (byte) 0x01));

    /** {@value #DFROBOT} wake up reader "return: 00 00 FF 00 FF 00 00 00 FF 02 FE D5 15 16 00". */
    static final Vector SAM_CONFIGURATION_RESPONSE = new Vector(DFROBOT + ", wake up reader return",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "02"    // LEN
                    + "FE"    // LCS
                    + "D5"    // TFI: PN532 to host
                    + "15"    // PD0: SAMConfiguration + 1, no data
                    + "16"    // DCS
                    + "00"),  // postamble
            Pn532Frame.Information.response(Pn532Command.SAM_CONFIGURATION));

    /** {@value #DFROBOT}, "# read the tag / # send: 00 00 FF 04 FC D4 4A 01 00 E1 00". */
    static final Vector IN_LIST_PASSIVE_TARGET = new Vector(DFROBOT + ", read the tag send",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "04"    // LEN
                    + "FC"    // LCS
                    + "D4"    // TFI: host to PN532
                    + "4A"    // PD0: InListPassiveTarget
                    + "01"    // MaxTg: 1
                    + "00"    // BrTy: 106 kbps type A
                    + "E1"    // DCS
                    + "00"),  // postamble
            Pn532Frame.Information.command(Pn532Command.IN_LIST_PASSIVE_TARGET, (byte) 0x01, (byte) 0x00));

    /**
     * martin-eden/Embedded_Scrapyard libraries/Adafruit-PN532/README.md, "Syntax error respone:
     * 0x00 0x00 0xFF 0x01 0xFF 0x7F 0x81 0x00" (UM0701-02 §6.2.1.5).
     */
    static final Vector ERROR = new Vector("martin-eden/Embedded_Scrapyard Adafruit-PN532 README, syntax error response",
            hex("00"          // preamble
                    + "00FF"  // start code
                    + "01"    // LEN: TFI only
                    + "FF"    // LCS
                    + "7F"    // TFI: application-level error
                    + "81"    // DCS
                    + "00"),  // postamble
            new Pn532Frame.ErrorFrame());

    private static TargetVector listed(String sample, String wire, String atqa, int sak, String uid) {
        byte[] w = hex(wire);
        byte[] data = java.util.Arrays.copyOfRange(w, 7, w.length - 2);
        int sensRes = HexFormat.fromHexDigits(atqa.replace(" ", ""));
        return new TargetVector(new Vector(LPC1343 + ", " + sample, w,
                Pn532Frame.Information.response(Pn532Command.IN_LIST_PASSIVE_TARGET, data)),
                Pn532Target.of(1, sensRes, sak, hex(uid)));
    }

    /** {@value #LPC1343}: "Received : 00 00 ff 0c f4 d5 4b 01 01 00 04 08 04 9e b3 6e 66 a9 00", "Mifare Classic 1K". */
    static final TargetVector MIFARE_CLASSIC_1K = listed("Mifare Classic 1K sample",
            "00 00ff"         // preamble, start code
                    + " 0c f4"        // LEN 12, LCS
                    + " d5 4b"        // TFI, PD0: InListPassiveTarget + 1
                    + " 01"           // NbTg 1
                    + " 01"           // Tg 1
                    + " 00 04"        // SENS_RES (ATQA) 00 04
                    + " 08"           // SEL_RES (SAK) 08
                    + " 04"           // NFCIDLength 4
                    + " 9e b3 6e 66"  // NFCID1
                    + " a9 00",       // DCS, postamble
            "0004", 0x08, "9eb36e66");

    /** {@value #LPC1343}: "Received : 00 00 ff 0c f4 d5 4b 01 01 00 02 18 04 8a 4c b5 12 23 00" (SAK 18, Classic 4K). */
    static final TargetVector MIFARE_CLASSIC_4K = listed("SAK 18 sample",
            "00 00ff 0c f4 d5 4b"     // preamble, start code, LEN, LCS, TFI, PD0
                    + " 01 01"        // NbTg, Tg
                    + " 00 02"        // SENS_RES
                    + " 18"           // SEL_RES
                    + " 04"           // NFCIDLength
                    + " 8a 4c b5 12"  // NFCID1
                    + " 23 00",       // DCS, postamble
            "0002", 0x18, "8a4cb512");

    /** {@value #LPC1343}: "Received : 00 00 ff 0f f1 d5 4b 01 01 00 44 00 07 04 7b cb 51 96 22 80 c0 00" (Ultralight). */
    static final TargetVector MIFARE_ULTRALIGHT = listed("7-byte UID sample",
            "00 00ff 0f f1 d5 4b"            // preamble, start code, LEN 15, LCS, TFI, PD0
                    + " 01 01"               // NbTg, Tg
                    + " 00 44"               // SENS_RES: double-size UID
                    + " 00"                  // SEL_RES
                    + " 07"                  // NFCIDLength 7
                    + " 04 7b cb 51 96 22 80" // NFCID1 (NXP manufacturer byte 04)
                    + " c0 00",              // DCS, postamble
            "0044", 0x00, "047bcb51962280");

    /** {@value #LPC1343}: "Received : 00 00 ff 0c f4 d5 4b 01 01 00 04 08 04 6e 8a e2 b0 44 00". */
    static final TargetVector MIFARE_CLASSIC_1K_B = listed("second Mifare Classic 1K sample",
            "00 00ff 0c f4 d5 4b 01 01"      // preamble .. Tg
                    + " 00 04 08 04"         // SENS_RES, SEL_RES, NFCIDLength
                    + " 6e 8a e2 b0"         // NFCID1
                    + " 44 00",              // DCS, postamble
            "0004", 0x08, "6e8ae2b0");

    static final List<TargetVector> TARGETS = List.of(MIFARE_CLASSIC_1K, MIFARE_CLASSIC_4K, MIFARE_ULTRALIGHT, MIFARE_CLASSIC_1K_B);

    static final List<Vector> ALL = List.of(GET_FIRMWARE_VERSION, ACK, FIRMWARE_VERSION_RESPONSE, SAM_CONFIGURATION,
            SAM_CONFIGURATION_RESPONSE, IN_LIST_PASSIVE_TARGET, ERROR, MIFARE_CLASSIC_1K.vector(),
            MIFARE_CLASSIC_4K.vector(), MIFARE_ULTRALIGHT.vector(), MIFARE_CLASSIC_1K_B.vector());

    private PublishedVectors() {
    }
}
