package org.campusedge.bridge.pn532;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One PN532 host-interface frame (NXP UM0701-02 "PN532 User Manual" §6.2.1). Four kinds:
 *
 * <pre>
 * information  00 00 FF LEN LCS TFI PD0..PDn DCS 00          (LEN = TFI + PD bytes, 2..255)
 * extended     00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00 (§6.2.1.2, LEN up to 264 + TFI)
 * ACK          00 00 FF 00 FF 00                             (§6.2.1.3)
 * NACK         00 00 FF FF 00 00                             (§6.2.1.4)
 * error        00 00 FF 01 FF 7F 81 00                       (§6.2.1.5, "syntax error" frame)
 * </pre>
 *
 * LCS makes {@code LEN + LCS == 0 (mod 256)}; DCS makes {@code TFI + PD0 + ... + PDn + DCS == 0 (mod 256)}.
 * Whether an information frame goes out normal or extended is an encoding detail: it is extended
 * exactly when its LEN does not fit one byte.
 */
public sealed interface Pn532Frame permits Pn532Frame.Ack, Pn532Frame.Nack, Pn532Frame.ErrorFrame, Pn532Frame.Information {

    /** TFI of frames from the host controller to the PN532. */
    int TFI_HOST_TO_PN532 = 0xD4;
    /** TFI of frames from the PN532 to the host controller. */
    int TFI_PN532_TO_HOST = 0xD5;
    /** TFI of the application-level error frame. */
    int TFI_ERROR = 0x7F;
    /** Largest LEN (TFI + PD bytes) the PN532 handles: 264 data bytes in an extended frame, plus TFI. */
    int MAX_LEN = 265;

    /** The ACK frame: the PN532 accepted the previous command and is running it. */
    record Ack() implements Pn532Frame {
    }

    /** The NACK frame: asks the other side to send its last frame again. */
    record Nack() implements Pn532Frame {
    }

    /** The error frame: the PN532 found a syntax error in the host's last frame. */
    record ErrorFrame() implements Pn532Frame {
    }

    /** Which way an information frame goes, with its TFI. */
    enum Direction {
        HOST_TO_PN532(TFI_HOST_TO_PN532),
        PN532_TO_HOST(TFI_PN532_TO_HOST);

        private final int tfi;

        Direction(int tfi) {
            this.tfi = tfi;
        }

        public int tfi() {
            return tfi;
        }
    }

    /**
     * A normal or extended information frame.
     *
     * @param direction the TFI
     * @param code      PD0: a command code, or a response code (command + 1)
     * @param data      PD1..PDn (a copy is kept); at most {@code MAX_LEN - 2} bytes
     */
    record Information(Direction direction, int code, byte[] data) implements Pn532Frame {
        public Information {
            Objects.requireNonNull(direction, "direction");
            if (code < 0 || code > 0xFF) {
                throw new IllegalArgumentException("code must be a byte, got " + code);
            }
            data = data.clone();
            if (data.length > MAX_LEN - 2) {
                throw new IllegalArgumentException("at most " + (MAX_LEN - 2) + " data bytes, got " + data.length);
            }
        }

        /** A host-to-PN532 command frame. */
        public static Information command(Pn532Command command, byte... params) {
            return new Information(Direction.HOST_TO_PN532, command.code(), params);
        }

        /** A PN532-to-host response frame to {@code command}. */
        public static Information response(Pn532Command command, byte... params) {
            return new Information(Direction.PN532_TO_HOST, command.responseCode(), params);
        }

        /** LEN on the wire: TFI + PD0 + data. */
        public int len() {
            return 2 + data.length;
        }

        /** Whether this frame needs the extended format (LEN above 255). */
        public boolean extended() {
            return len() > 0xFF;
        }

        /** Whether this is the PN532's response to {@code command}. */
        public boolean isResponseTo(Pn532Command command) {
            return direction == Direction.PN532_TO_HOST && code == command.responseCode();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Information other && direction == other.direction && code == other.code
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(direction, code, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return String.format("Information[%s, code=0x%02X, data=%s]", direction, code, HexFormat.of().withUpperCase().formatHex(data));
        }
    }
}
