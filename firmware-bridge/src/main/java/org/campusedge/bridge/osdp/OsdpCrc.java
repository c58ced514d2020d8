package org.campusedge.bridge.osdp;

/**
 * The two integrity checks OSDP allows (SIA OSDP v2.2 / IEC 60839-11-5, message check characters):
 * a 16-bit CRC — CRC-16/AUG-CCITT: polynomial 0x1021, initial value 0x1D0F, no reflection,
 * sent least significant byte first — or an 8-bit checksum, the two's complement of the sum of
 * all bytes from SOM to the end of the data.
 */
public final class OsdpCrc {

    private static final int POLY = 0x1021;
    private static final int INIT = 0x1D0F;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLY : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private OsdpCrc() {
    }

    /** CRC-16 of {@code bytes[offset..offset+length)}. */
    public static int crc16(byte[] bytes, int offset, int length) {
        int crc = INIT;
        for (int i = offset; i < offset + length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** 8-bit checksum of {@code bytes[offset..offset+length)}. */
    public static int checksum(byte[] bytes, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += bytes[i] & 0xFF;
        }
        return (-sum) & 0xFF;
    }
}
