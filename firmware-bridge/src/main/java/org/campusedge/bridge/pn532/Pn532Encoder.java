package org.campusedge.bridge.pn532;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Writes PN532 frames (UM0701-02 §6.2.1) with preamble {@code 00}, start code {@code 00 FF} and
 * postamble {@code 00}, and the HSU wake-up preamble.
 */
public final class Pn532Encoder {

    /** How long the wake-up preamble keeps the line busy before the first frame. */
    public static final Duration WAKE_UP_DURATION = Duration.ofMillis(2);
    /** The wake-up preamble at the PN532's HSU default of 115200 baud: 55 55 and 22 zero bytes. */
    private static final byte[] HSU_WAKE_UP = wakeUp(115_200, WAKE_UP_DURATION);

    private static final byte[] ACK = {0x00, 0x00, (byte) 0xFF, 0x00, (byte) 0xFF, 0x00};
    private static final byte[] NACK = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00};
    private static final byte[] ERROR = {0x00, 0x00, (byte) 0xFF, 0x01, (byte) 0xFF, 0x7F, (byte) 0x81, 0x00};

    private Pn532Encoder() {
    }

    /** The frame's bytes on the wire; information frames above LEN 255 use the extended format. */
    public static byte[] encode(Pn532Frame frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame instanceof Pn532Frame.Information i) {
            return information(i);
        }
        if (frame instanceof Pn532Frame.Ack) {
            return ACK.clone();
        }
        if (frame instanceof Pn532Frame.Nack) {
            return NACK.clone();
        }
        return ERROR.clone();
    }

    private static byte[] information(Pn532Frame.Information frame) {
        byte[] data = frame.data();
        int len = frame.len();
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 10);
        out.write(0x00);
        out.write(0x00);
        out.write(0xFF);
        if (frame.extended()) {
            out.write(0xFF);
            out.write(0xFF);
            out.write(len >>> 8);
            out.write(len & 0xFF);
            out.write(-((len >>> 8) + (len & 0xFF)) & 0xFF);
        } else {
            out.write(len);
            out.write(-len & 0xFF);
        }
        int tfi = frame.direction().tfi();
        int sum = tfi + frame.code();
        out.write(tfi);
        out.write(frame.code());
        for (byte b : data) {
            out.write(b);
            sum += b & 0xFF;
        }
        out.write(-sum & 0xFF);
        out.write(0x00);
        return out.toByteArray();
    }

    /**
     * The HSU wake-up preamble for 115200 baud. A PN532 in HSU mode that is asleep (power-down, or
     * the LowVbat state it starts in) needs a 0x55 byte to wake its oscillator, then time before it
     * can take a frame: libnfc's {@code pn532_uart_wakeup} (nfc-tools/libnfc,
     * libnfc/drivers/pn532_uart.c: "HSU wake up consist to send 0x55 and wait a "long" delay") sends
     * {@code 55 55 00 00 00}, and a widely copied capture (j13tw/DFRobot_NFC_Module, NFC_Class.py;
     * delikely/Secure-Router, test/nfc-find-card2.c) sends {@code 55 55} and 14 zero bytes before
     * SAMConfiguration. Zero bytes are idle preamble to the PN532's frame parser, so padding with
     * them costs nothing; this sends enough for {@link #WAKE_UP_DURATION}.
     */
    public static byte[] hsuWakeUp() {
        return HSU_WAKE_UP.clone();
    }

    /** 0x55 0x55, then zero bytes until the whole preamble lasts at least {@code atLeast} at {@code baud} (8N1). */
    public static byte[] wakeUp(int baud, Duration atLeast) {
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive, got " + baud);
        }
        // 10 bit times per byte at 8N1 (start + 8 data + stop).
        long nanosPerByte = 10L * 1_000_000_000L / baud;
        int total = (int) Math.max(2, (atLeast.toNanos() + nanosPerByte - 1) / nanosPerByte);
        byte[] out = new byte[total];
        out[0] = 0x55;
        out[1] = 0x55;
        return out;
    }
}
