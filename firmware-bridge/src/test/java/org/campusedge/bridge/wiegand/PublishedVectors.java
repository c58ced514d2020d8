package org.campusedge.bridge.wiegand;

import java.util.List;

/**
 * Wiegand frames published by others, with the fields they state. Bit strings are first-sent
 * first, grouped as parity | facility | card | parity.
 */
final class PublishedVectors {

    /**
     * One published card.
     *
     * @param source   where it was published, and what the source itself shows
     * @param format   the format
     * @param bits     the frame, first bit first
     * @param facility the facility code the source states
     * @param card     the card number the source states
     */
    record Vector(String source, WiegandFormat format, String bits, int facility, int card) {
        WiegandFrame frame() {
            return WiegandFrame.ofBits(bits);
        }

        @Override
        public String toString() {
            return source;
        }
    }

    /**
     * Proxmark3 {@code lf hid read} output quoted in a public SANS Holiday Hack 2020 (KringleCon 3)
     * write-up, objective "Open HID lock": {@code TAG ID: 2006e22f13 (6025) - Format Len: 26 bit -
     * FC: 113 - Card: 6025}. The Proxmark tag id carries the 26 Wiegand bits in its low bits
     * (0x2006e22f13 & 0x3FFFFFF = 0x2E22F13), so both parity bits are the source's, not ours.
     */
    static final Vector PROXMARK_KRINGLECON = new Vector("Proxmark3 lf hid read, KringleCon 2020 write-up",
            WiegandFormat.H10301,
            "1"                      // even parity over bits 1..12
                    + "01110001"     // facility 0x71 = 113
                    + "0001011110001001" // card 0x1789 = 6025
                    + "1",           // odd parity over bits 13..24
            113, 6025);

    /**
     * Flipper Zero {@code rfid read} output quoted in a public Flipper lfrfid test harness:
     * {@code H10301 7B11D7  FC: 123 Card: 4567}. The Flipper prints the 24 data bits only
     * (0x7B = 123, 0x11D7 = 4567); the parity bits are computed from HID's layout.
     */
    static final Vector FLIPPER_H10301 = new Vector("Flipper Zero rfid read H10301 7B11D7",
            WiegandFormat.H10301,
            "1"                      // even parity: bits 1..12 hold seven ones
                    + "01111011"     // facility 0x7B = 123
                    + "0001000111010111" // card 0x11D7 = 4567
                    + "0",           // odd parity: bits 13..24 already hold seven ones
            123, 4567);

    /**
     * Seabreeze RFID, "10-bit number and 8-bit number conversion relationship of the access
     * control card": a card printed "0013961168" (hex 00 D5 07 D0) and "213 02000", i.e.
     * facility 213 (0xD5), card 2000 (0x07D0), the two ways a 26-bit card number is printed.
     * Parity bits computed from HID's layout.
     */
    static final Vector SEABREEZE_213_02000 = new Vector("Seabreeze RFID 8-digit 213 02000 / 10-digit 0013961168",
            WiegandFormat.H10301,
            "1"                      // even parity: bits 1..12 hold five ones
                    + "11010101"     // facility 0xD5 = 213
                    + "0000011111010000" // card 0x07D0 = 2000
                    + "1",           // odd parity: bits 13..24 hold six ones
            213, 2000);

    /**
     * Hikvision DS-2CD7A26G0/P-IZHSWG Wiegand camera operation manual, "Coding Process" example:
     * card number 1234567890 = 0x49 0x96 0x02 0xD2, "Bit 1 is an even parity bit for the following
     * 16 bits ... as 1", "Bit 34 is an odd parity bit for the previous 16 bits ... as 0", sent as
     * {@code 1 0100 1001 1001 0110 0000 0010 1101 0010 0}. In H10306 terms: facility 0x4996,
     * card 0x02D2. Every bit, parity included, is the source's.
     */
    static final Vector HIKVISION_34 = new Vector("Hikvision Wiegand camera manual, 34-bit card 1234567890",
            WiegandFormat.H10306,
            "1"                      // even parity over bits 1..16
                    + "0100100110010110" // facility 0x4996 = 18838
                    + "0000001011010010" // card 0x02D2 = 722
                    + "0",           // odd parity over bits 17..32
            0x4996, 0x02D2);

    /** The 32 data bits of {@link #HIKVISION_34}: a reader sending card 1234567890 as a bare UID. */
    static final String HIKVISION_UID_BITS = "01001001100101100000001011010010";

    static List<Vector> all() {
        return List.of(PROXMARK_KRINGLECON, FLIPPER_H10301, SEABREEZE_213_02000, HIKVISION_34);
    }

    private PublishedVectors() {
    }
}
