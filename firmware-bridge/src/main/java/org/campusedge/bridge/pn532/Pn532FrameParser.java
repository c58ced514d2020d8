package org.campusedge.bridge.pn532;

import java.util.Arrays;

/**
 * Checks one candidate frame at the start of a buffer that begins with the {@code 00 FF} start
 * code (UM0701-02 §6.2.1). Shared by the strict one-shot decode and the streaming decoder so both
 * enforce the same rules. Allocates only the data of a frame whose LEN was already checked against
 * the maximum.
 */
final class Pn532FrameParser {

    /** Outcome of {@link #check}. */
    sealed interface Result permits NeedMore, Parsed, Rejected {
    }

    /** The buffer ends before the candidate does. */
    record NeedMore() implements Result {
    }

    /** A valid frame of {@code wireLength} bytes from the start code through the postamble. */
    record Parsed(Pn532Frame frame, int wireLength) implements Result {
    }

    /** Not a frame. */
    record Rejected(Pn532Exception.Reason reason, String message) implements Result {
    }

    static final NeedMore NEED_MORE = new NeedMore();

    private Pn532FrameParser() {
    }

    /**
     * @param b      the buffer; {@code b[0..1]} must be {@code 00 FF}
     * @param have   valid bytes in {@code b}
     * @param maxLen largest LEN accepted
     */
    static Result check(byte[] b, int have, int maxLen) {
        if (have < 4) {
            return NEED_MORE;
        }
        int len = b[2] & 0xFF;
        int lcs = b[3] & 0xFF;
        if (len == 0x00 && lcs == 0xFF) {
            return special(b, have, new Pn532Frame.Ack());
        }
        if (len == 0xFF && lcs == 0x00) {
            return special(b, have, new Pn532Frame.Nack());
        }
        int bodyStart;
        if (len == 0xFF && lcs == 0xFF) {
            // §6.2.1.2 extended frame: 00 FF FF FF LENM LENL LCS, LENM + LENL + LCS = 0 (mod 256).
            if (have < 7) {
                return NEED_MORE;
            }
            int lenm = b[4] & 0xFF;
            int lenl = b[5] & 0xFF;
            if (((lenm + lenl + (b[6] & 0xFF)) & 0xFF) != 0) {
                return new Rejected(Pn532Exception.Reason.LENGTH_CHECKSUM,
                        String.format("extended LENM %02X LENL %02X LCS %02X do not sum to 0", lenm, lenl, b[6] & 0xFF));
            }
            len = lenm << 8 | lenl;
            bodyStart = 7;
        } else {
            // §6.2.1.1: the low byte of LEN + LCS is 0x00.
            if (((len + lcs) & 0xFF) != 0) {
                return new Rejected(Pn532Exception.Reason.LENGTH_CHECKSUM,
                        String.format("LEN %02X + LCS %02X is not 0 mod 256", len, lcs));
            }
            bodyStart = 4;
        }
        if (len < 1 || len > maxLen) {
            return new Rejected(Pn532Exception.Reason.LENGTH_OUT_OF_RANGE, "LEN " + len + " is outside 1.." + maxLen);
        }
        int wireLength = bodyStart + len + 2;
        if (have < wireLength) {
            return NEED_MORE;
        }
        int sum = 0;
        for (int i = bodyStart; i <= bodyStart + len; i++) {
            sum += b[i] & 0xFF;
        }
        // §6.2.1.1: the low byte of TFI + PD0 + PD1 + ... + PDn + DCS is 0x00.
        if ((sum & 0xFF) != 0) {
            return new Rejected(Pn532Exception.Reason.DATA_CHECKSUM,
                    String.format("TFI..PDn + DCS sums to %02X, not 0 mod 256", sum & 0xFF));
        }
        if (b[wireLength - 1] != 0) {
            return new Rejected(Pn532Exception.Reason.NO_POSTAMBLE,
                    String.format("postamble is %02X, not 00", b[wireLength - 1] & 0xFF));
        }
        int tfi = b[bodyStart] & 0xFF;
        if (len == 1) {
            if (tfi == Pn532Frame.TFI_ERROR) {
                return new Parsed(new Pn532Frame.ErrorFrame(), wireLength);
            }
            return new Rejected(Pn532Exception.Reason.LENGTH_OUT_OF_RANGE,
                    String.format("LEN 1 with TFI %02X: only the error frame (TFI 7F) has no PD0", tfi));
        }
        Pn532Frame.Direction direction;
        if (tfi == Pn532Frame.TFI_HOST_TO_PN532) {
            direction = Pn532Frame.Direction.HOST_TO_PN532;
        } else if (tfi == Pn532Frame.TFI_PN532_TO_HOST) {
            direction = Pn532Frame.Direction.PN532_TO_HOST;
        } else {
            return new Rejected(Pn532Exception.Reason.UNKNOWN_TFI, String.format("TFI %02X is neither D4 nor D5", tfi));
        }
        byte[] data = Arrays.copyOfRange(b, bodyStart + 2, bodyStart + len);
        return new Parsed(new Pn532Frame.Information(direction, b[bodyStart + 1] & 0xFF, data), wireLength);
    }

    /** ACK and NACK: start code, LEN, LCS, then the postamble. */
    private static Result special(byte[] b, int have, Pn532Frame frame) {
        if (have < 5) {
            return NEED_MORE;
        }
        if (b[4] != 0) {
            return new Rejected(Pn532Exception.Reason.NO_POSTAMBLE,
                    String.format("%s postamble is %02X, not 00", frame, b[4] & 0xFF));
        }
        return new Parsed(frame, 5);
    }
}
