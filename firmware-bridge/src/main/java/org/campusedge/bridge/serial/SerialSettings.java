package org.campusedge.bridge.serial;

import java.util.Objects;

/**
 * How to open a serial port.
 *
 * @param port     device path, e.g. {@code /dev/ttyUSB0} or {@code /dev/campus-reader-studio}
 * @param baud     bits per second
 * @param dataBits 5..8
 * @param parity   parity mode
 * @param stopBits stop bits
 */
public record SerialSettings(String port, int baud, int dataBits, Parity parity, StopBits stopBits) {

    /** Parity modes, with the names used in configuration. */
    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    /** Stop-bit modes, with the names used in configuration. */
    public enum StopBits { ONE, ONE_AND_HALF, TWO }

    public SerialSettings {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        if (port.isBlank()) {
            throw new IllegalArgumentException("port must not be blank");
        }
        if (baud < 50 || baud > 4_000_000) {
            throw new IllegalArgumentException("baud must be within 50..4000000, got " + baud);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("dataBits must be within 5..8, got " + dataBits);
        }
    }

    /** The common 8 data bits, no parity, 1 stop bit. */
    public static SerialSettings of8N1(String port, int baud) {
        return new SerialSettings(port, baud, 8, Parity.NONE, StopBits.ONE);
    }
}
