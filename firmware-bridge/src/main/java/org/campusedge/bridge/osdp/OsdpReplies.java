package org.campusedge.bridge.osdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Parses the data of PD replies (SIA OSDP v2.2 / IEC 60839-11-5, reply descriptions) into
 * records. Every parser checks the length its code requires and names what is wrong.
 */
public final class OsdpReplies {

    private OsdpReplies() {
    }

    /** osdp_PDID: vendor OUI, model, version, serial number, firmware version. */
    public record PdId(String vendorOui, int model, int version, long serialNumber, String firmware) {
    }

    /** One osdp_PDCAP entry: function code, compliance level, number of objects. */
    public record Capability(int function, int compliance, int count) {
    }

    /** osdp_LSTATR: tamper and power status. */
    public record LocalStatus(boolean tamper, boolean powerFailure) {
    }

    /**
     * osdp_RAW card data.
     *
     * @param reader   reader number on the PD
     * @param format   0 = raw bits, 1 = Wiegand
     * @param bitCount number of valid bits
     * @param data     the bits, most significant first, padded to whole bytes
     */
    public record RawCard(int reader, int format, int bitCount, byte[] data) {
        public String hex() {
            return HexFormat.of().withUpperCase().formatHex(data);
        }
    }

    /** osdp_KEYPAD: digits pressed, as ASCII. */
    public record Keypad(int reader, String digits) {
    }

    /** osdp_COM: the address and speed the PD now uses. */
    public record ComSettings(int address, int baud) {
    }

    public static PdId pdId(byte[] d) throws OsdpException {
        length(d, 12, "osdp_PDID");
        String oui = HexFormat.of().withUpperCase().formatHex(d, 0, 3);
        // vendor OUI (3), model (1), version (1), serial number (4, LSB first), firmware major, minor, build
        long serial = (d[5] & 0xFFL) | (d[6] & 0xFFL) << 8 | (d[7] & 0xFFL) << 16 | (d[8] & 0xFFL) << 24;
        return new PdId(oui, d[3] & 0xFF, d[4] & 0xFF, serial, (d[9] & 0xFF) + "." + (d[10] & 0xFF) + "." + (d[11] & 0xFF));
    }

    public static List<Capability> pdCap(byte[] d) throws OsdpException {
        if (d.length == 0 || d.length % 3 != 0) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH, "osdp_PDCAP needs 3-byte entries, got " + d.length + " bytes");
        }
        List<Capability> out = new ArrayList<>();
        for (int i = 0; i < d.length; i += 3) {
            out.add(new Capability(d[i] & 0xFF, d[i + 1] & 0xFF, d[i + 2] & 0xFF));
        }
        return out;
    }

    public static LocalStatus localStatus(byte[] d) throws OsdpException {
        length(d, 2, "osdp_LSTATR");
        return new LocalStatus(d[0] != 0, d[1] != 0);
    }

    /** osdp_ISTATR / osdp_OSTATR: one byte per input or output, 1 = active. */
    public static boolean[] ioStatus(byte[] d) {
        boolean[] out = new boolean[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] != 0;
        }
        return out;
    }

    public static RawCard rawCard(byte[] d) throws OsdpException {
        if (d.length < 4) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH, "osdp_RAW needs at least 4 bytes, got " + d.length);
        }
        int bits = (d[2] & 0xFF) | (d[3] & 0xFF) << 8;
        int bytes = (bits + 7) / 8;
        if (bits == 0 || d.length != 4 + bytes) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH,
                    "osdp_RAW says " + bits + " bits (" + bytes + " bytes) but carries " + (d.length - 4));
        }
        return new RawCard(d[0] & 0xFF, d[1] & 0xFF, bits, Arrays.copyOfRange(d, 4, d.length));
    }

    public static Keypad keypad(byte[] d) throws OsdpException {
        if (d.length < 2 || d.length != 2 + (d[1] & 0xFF)) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH, "osdp_KEYPAD length does not match its digit count");
        }
        StringBuilder digits = new StringBuilder();
        for (int i = 2; i < d.length; i++) {
            int c = d[i] & 0xFF;
            if (c == 0x7F) {
                digits.append('*');
            } else if (c == 0x0D) {
                digits.append('#');
            } else if (c >= 0x20 && c < 0x7F) {
                digits.append((char) c);
            } else {
                throw new OsdpException(OsdpException.Reason.BAD_VALUE, String.format("keypad byte 0x%02X is not a key", c));
            }
        }
        return new Keypad(d[0] & 0xFF, digits.toString());
    }

    public static OsdpNakCode nak(byte[] d) throws OsdpException {
        if (d.length < 1) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH, "osdp_NAK needs an error code");
        }
        return OsdpNakCode.of(d[0] & 0xFF).orElseThrow(() ->
                new OsdpException(OsdpException.Reason.BAD_VALUE, String.format("unknown NAK code 0x%02X", d[0])));
    }

    public static ComSettings com(byte[] d) throws OsdpException {
        length(d, 5, "osdp_COM");
        int baud = (d[1] & 0xFF) | (d[2] & 0xFF) << 8 | (d[3] & 0xFF) << 16 | (d[4] & 0xFF) << 24;
        return new ComSettings(d[0] & 0xFF, baud);
    }

    private static void length(byte[] d, int expected, String what) throws OsdpException {
        if (d.length != expected) {
            throw new OsdpException(OsdpException.Reason.BAD_LENGTH, what + " is " + expected + " bytes, got " + d.length);
        }
    }
}
