package org.campusedge.bridge.pn532;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One ISO/IEC 14443 type A target as InListPassiveTarget at 106 kbps reports it (UM0701-02 §7.3.5,
 * "TargetData" for BrTy 0x00):
 *
 * <pre>
 * Tg | SENS_RES (2) | SEL_RES | NFCIDLength | NFCID1 (NFCIDLength bytes) | [ATS (first byte TL = its length)]
 * </pre>
 *
 * @param tg      the logical number the PN532 gave the target (1 for the first)
 * @param sensRes SENS_RES (ATQA) as its two bytes appear on the wire, e.g. {@code 0x0004}
 * @param selRes  SEL_RES (SAK), e.g. {@code 0x08} for MIFARE Classic 1K
 * @param uid     NFCID1: 4, 7 or 10 bytes (single, double, triple size; ISO/IEC 14443-3 §6.5.4)
 * @param ats     the answer to select of ISO/IEC 14443-4 cards, empty when absent
 */
public record Pn532Target(int tg, int sensRes, int selRes, byte[] uid, byte[] ats) {

    public Pn532Target {
        if (tg < 0 || tg > 0xFF || selRes < 0 || selRes > 0xFF) {
            throw new IllegalArgumentException("tg and selRes must be bytes, got " + tg + ", " + selRes);
        }
        if (sensRes < 0 || sensRes > 0xFFFF) {
            throw new IllegalArgumentException("sensRes must be 16 bits, got " + sensRes);
        }
        uid = uid.clone();
        ats = ats.clone();
        if (uid.length != 4 && uid.length != 7 && uid.length != 10) {
            throw new IllegalArgumentException("a type A UID is 4, 7 or 10 bytes, got " + uid.length);
        }
        if (ats.length > 0xFF) {
            throw new IllegalArgumentException("ATS longer than 255 bytes: " + ats.length);
        }
    }

    /** A target without ATS. */
    public static Pn532Target of(int tg, int sensRes, int selRes, byte[] uid) {
        return new Pn532Target(tg, sensRes, selRes, uid, new byte[0]);
    }

    /**
     * The first target in the data of an InListPassiveTarget response (PD1..: NbTg, then the target
     * data), or empty when NbTg is 0.
     *
     * @throws Pn532Exception {@code MALFORMED_RESPONSE} when the data is shorter or longer than its
     *                        length bytes say, or NbTg is not 0 or 1
     */
    public static Optional<Pn532Target> fromListResponse(byte[] data) throws Pn532Exception {
        if (data.length < 1) {
            throw malformed("no NbTg byte");
        }
        int nbTg = data[0] & 0xFF;
        if (nbTg == 0) {
            if (data.length != 1) {
                throw malformed("NbTg 0 followed by " + (data.length - 1) + " bytes");
            }
            return Optional.empty();
        }
        if (nbTg != 1) {
            throw malformed("NbTg " + nbTg + ", but MaxTg was 1");
        }
        if (data.length < 6) {
            throw malformed("target data of " + (data.length - 1) + " bytes, at least 5 before NFCID1");
        }
        int uidLength = data[5] & 0xFF;
        int atsAt = 6 + uidLength;
        if (uidLength != 4 && uidLength != 7 && uidLength != 10) {
            throw malformed("NFCIDLength " + uidLength + " is not 4, 7 or 10");
        }
        if (data.length < atsAt) {
            throw malformed("NFCIDLength " + uidLength + " but only " + (data.length - 6) + " NFCID1 bytes");
        }
        byte[] ats = Arrays.copyOfRange(data, atsAt, data.length);
        // ISO/IEC 14443-4 §5.2.1: the ATS's first byte TL is the length of the ATS, TL included.
        if (ats.length > 0 && (ats[0] & 0xFF) != ats.length) {
            throw malformed("ATS length byte TL " + (ats[0] & 0xFF) + " but " + ats.length + " ATS bytes");
        }
        int sensRes = (data[2] & 0xFF) << 8 | (data[3] & 0xFF);
        return Optional.of(new Pn532Target(data[1] & 0xFF, sensRes, data[4] & 0xFF,
                Arrays.copyOfRange(data, 6, atsAt), ats));
    }

    /** The data of an InListPassiveTarget response listing this target: NbTg 1, then the target data. */
    public byte[] toListResponse() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(tg);
        out.write(sensRes >>> 8);
        out.write(sensRes & 0xFF);
        out.write(selRes);
        out.write(uid.length);
        out.writeBytes(uid);
        out.writeBytes(ats);
        return out.toByteArray();
    }

    /** The UID as upper-case hex, e.g. {@code 9EB36E66}. */
    public String uidHex() {
        return HexFormat.of().withUpperCase().formatHex(uid);
    }

    @Override
    public byte[] uid() {
        return uid.clone();
    }

    @Override
    public byte[] ats() {
        return ats.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pn532Target t && tg == t.tg && sensRes == t.sensRes && selRes == t.selRes
                && Arrays.equals(uid, t.uid) && Arrays.equals(ats, t.ats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tg, sensRes, selRes, Arrays.hashCode(uid), Arrays.hashCode(ats));
    }

    @Override
    public String toString() {
        return String.format("Pn532Target[tg=%d, sensRes=%04X, selRes=%02X, uid=%s, ats=%s]", tg, sensRes, selRes,
                uidHex(), HexFormat.of().withUpperCase().formatHex(ats));
    }

    private static Pn532Exception malformed(String message) {
        return new Pn532Exception(Pn532Exception.Reason.MALFORMED_RESPONSE, "InListPassiveTarget response: " + message);
    }
}
