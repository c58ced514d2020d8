package org.campusedge.bridge.rdm6300;

import java.util.HexFormat;
import java.util.List;

/**
 * RDM6300/RDM630 frames published by others, with what they decode to. Every field is commented;
 * the card numbers are the decimal numbers printed on the fobs where the source gives them.
 */
final class PublishedVectors {

    /**
     * One published frame.
     *
     * @param source     where it was published
     * @param wire       the 14 bytes on the wire
     * @param version    the version / customer byte
     * @param cardNumber the 32-bit card number
     * @param checksum   the checksum byte the source states or shows
     */
    record Vector(String source, byte[] wire, int version, long cardNumber, int checksum) {
        String hexId() {
            return String.format("%02X%08X", version, cardNumber);
        }

        @Override
        public String toString() {
            return source;
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] decimal(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    /**
     * Seeed Studio wiki, "125Khz RFID module - UART" (RDM630), "TTL Interface RS232 Data output
     * format": card 62E3086CED, "Output data: 36H 32H 45H 33H 30H 38H 36H 43H 45H 44H",
     * "CHECKSUM: (62H) XOR (E3H) XOR (08H) XOR (6CH) XOR (EDH)=08H". STX/ETX from the same section.
     */
    static final Vector SEEED_DATASHEET = new Vector("Seeed wiki 125Khz RFID module - UART, data format example",
            hex("02"                                   // STX
                    + "3632"                           // "62" version byte 0x62
                    + "4533" + "3038" + "3643" + "4544" // "E3086CED" card number 0xE3086CED
                    + "3038"                           // "08" checksum
                    + "03"),                           // ETX
            0x62, 0xE3086CEDL, 0x08);

    /**
     * Seeed Studio wiki, "125Khz RFID module - UART", "Time sequence chart" capture:
     * "Output date(HEX): 02 | 30 31 30 30 30 37 33 34 45 30 | 44 32 | 03",
     * "(01H) xor (00H) xor (07H) xor (34H) xor (E0H) = D2H".
     */
    static final Vector SEEED_CAPTURE = new Vector("Seeed wiki 125Khz RFID module - UART, time sequence capture",
            hex("02"                                   // STX
                    + "3031"                           // "01" version byte 0x01
                    + "3030" + "3037" + "3334" + "4530" // "000734E0" card number 0x000734E0
                    + "4432"                           // "D2" checksum
                    + "03"),                           // ETX
            0x01, 0x000734E0L, 0xD2);

    /**
     * Hobby Components forum, "RDM6300 125KHz (ID) RFID reader module (HCRFID0006)", post by
     * neftronics, 2020-04-04: "Raw Data read (Hex): 02 31 30 30 30 32 36 46 34 34 34 32 36 03";
     * the number on the fob is 0008844356 = 0x0086F444; checksum 26h is the XOR of the data bytes.
     */
    static final Vector HOBBY_COMPONENTS = new Vector("Hobby Components forum HCRFID0006 capture",
            hex("02"                                   // STX
                    + "3130"                           // "10" version byte 0x10
                    + "3030" + "3836" + "4634" + "3434" // "0086F444" card number 8844356
                    + "3236"                           // "26" checksum
                    + "03"),                           // ETX
            0x10, 8_844_356L, 0x26);

    /**
     * Stack Overflow question 11848921, "Arduino RFID checksum calculation and key visualization":
     * the Arduino printed these bytes in decimal for the tag labelled 0013530444 (= 0x00CE754C).
     */
    static final Vector STACK_OVERFLOW = new Vector("Stack Overflow 11848921 capture",
            decimal(2,                                 // STX
                    51, 67,                            // "3C" version byte 0x3C
                    48, 48, 67, 69, 55, 53, 52, 67,    // "00CE754C" card number 13530444
                    67, 66,                            // "CB" checksum
                    3),                                // ETX
            0x3C, 13_530_444L, 0xCB);

    /**
     * Arduino forum, "RFID data format RDM6300 vs EM4100 readers" (topic 251993): "Arduino reader
     * reads: 2,48,49,48,48,54,51,69,57,65,69,50,53,3" for the token labelled 0006547886
     * (= 0x0063E9AE); the poster gives the XOR checksum formula.
     */
    static final Vector ARDUINO_FORUM = new Vector("Arduino forum topic 251993 capture",
            decimal(2,                                 // STX
                    48, 49,                            // "01" version byte 0x01
                    48, 48, 54, 51, 69, 57, 65, 69,    // "0063E9AE" card number 6547886
                    50, 53,                            // "25" checksum
                    3),                                // ETX
            0x01, 6_547_886L, 0x25);

    static final List<Vector> ALL = List.of(SEEED_DATASHEET, SEEED_CAPTURE, HOBBY_COMPONENTS, STACK_OVERFLOW, ARDUINO_FORUM);

    private PublishedVectors() {
    }
}
