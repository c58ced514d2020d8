package org.campusedge.bridge.serial;

import jssc.SerialPort;
import jssc.SerialPortException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link SerialLink} over jssc. Reads poll the driver's input count and park briefly between
 * polls: jssc's own {@code readBytes(n, timeout)} busy-spins on that count, which would burn a
 * Pi core per idle reader. A vanished device (USB-serial unplugged, pty closed) shows up as an
 * I/O error from the count ioctl; the link then closes itself and reports {@code IO_ERROR}.
 *
 * <p>One thread reads; writes may come from any thread and are serialised.
 */
public final class JsscSerialLink implements SerialLink {

    /** Idle poll interval: 1 ms adds at most ~1 ms to a frame's latency (a byte at 9600 baud takes ~1 ms). */
    private static final long IDLE_PARK_NANOS = 1_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(JsscSerialLink.class);

    private final SerialSettings settings;
    private final Object writeLock = new Object();
    private volatile SerialPort port;
    private boolean warnedUnconfirmed;

    public JsscSerialLink(SerialSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.port();
    }

    @Override
    public synchronized void open() throws SerialLinkException {
        if (port != null) {
            return;
        }
        SerialPort p = new SerialPort(settings.port());
        try {
            p.openPort();
        } catch (SerialPortException e) {
            throw openFailure(e);
        }
        try {
            // jssc answers false when any step fails, including the RTS/DTR modem-line ioctls that a
            // pseudo-terminal does not support after the line settings were applied; it cannot say
            // which. Baud rates are validated against the standard set before we get here, so a
            // false is reported once as a warning rather than refusing the port.
            if (!p.setParams(settings.baud(), settings.dataBits(), stopBits(settings.stopBits()), parity(settings.parity()),
                    false, false) && !warnedUnconfirmed && !isPseudoTerminal()) {
                warnedUnconfirmed = true;
                LOG.warn("{}: the driver did not confirm {}; check the device and its settings", name(), describeSettings());
            }
        } catch (SerialPortException e) {
            closeQuietly(p);
            throw new SerialLinkException(SerialLinkException.Reason.BAD_PARAMETERS, name(),
                    "cannot set " + describeSettings() + ": " + e.getExceptionType(), e);
        }
        port = p;
    }

    private SerialLinkException openFailure(SerialPortException e) {
        String type = String.valueOf(e.getExceptionType());
        if (type.equals(SerialPortException.TYPE_PORT_NOT_FOUND)) {
            return new SerialLinkException(SerialLinkException.Reason.NOT_FOUND, name(), "no such device", e);
        }
        if (type.equals(SerialPortException.TYPE_PORT_BUSY) || type.equals(SerialPortException.TYPE_PERMISSION_DENIED)) {
            return new SerialLinkException(SerialLinkException.Reason.BUSY_OR_DENIED, name(),
                    type.toLowerCase(java.util.Locale.ROOT) + " (is another program using it? is the user in group dialout?)", e);
        }
        return new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), "cannot open: " + type, e);
    }

    /** Pseudo-terminals have no modem lines, so jssc never confirms their settings. */
    private boolean isPseudoTerminal() {
        try {
            return java.nio.file.Path.of(settings.port()).toRealPath().startsWith("/dev/pts/");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private String describeSettings() {
        return settings.baud() + " baud " + settings.dataBits() + settings.parity().name().charAt(0)
                + (settings.stopBits() == SerialSettings.StopBits.ONE ? "1" : settings.stopBits() == SerialSettings.StopBits.TWO ? "2" : "1.5");
    }

    @Override
    public boolean isOpen() {
        return port != null;
    }

    @Override
    public int read(byte[] buffer, Duration timeout) throws SerialLinkException {
        SerialPort p = requireOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                int available = p.getInputBufferBytesCount();
                if (available > 0) {
                    byte[] bytes = p.readBytes(Math.min(available, buffer.length));
                    if (bytes == null) {
                        return 0;
                    }
                    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                    return bytes.length;
                }
                if (available < 0) {
                    throw new SerialPortException(p, "getInputBufferBytesCount", "negative count");
                }
                if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    return 0;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        } catch (SerialPortException e) {
            close();
            throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), cause(e), e);
        }
    }

    @Override
    public void write(byte[] bytes) throws SerialLinkException {
        SerialPort p = requireOpen();
        synchronized (writeLock) {
            try {
                if (!p.writeBytes(bytes)) {
                    throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), "write failed");
                }
            } catch (SerialPortException e) {
                close();
                throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), cause(e), e);
            }
        }
    }

    private SerialPort requireOpen() throws SerialLinkException {
        SerialPort p = port;
        if (p == null) {
            throw new SerialLinkException(SerialLinkException.Reason.CLOSED, name(), "link is closed");
        }
        return p;
    }

    /** jssc's message is "Port name - X; Method name - Y; Exception type - Z."; operators need only Z. */
    private static String cause(SerialPortException e) {
        String type = e.getExceptionType();
        return type == null ? String.valueOf(e.getMessage()) : type.replace("Native exception occurred: ", "");
    }

    @Override
    public synchronized void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            closeQuietly(p);
        }
    }

    private static void closeQuietly(SerialPort p) {
        try {
            p.closePort();
        } catch (SerialPortException e) {
            // The device is already gone; nothing is left to release.
        }
    }

    private static int parity(SerialSettings.Parity parity) {
        return switch (parity) {
            case NONE -> SerialPort.PARITY_NONE;
            case ODD -> SerialPort.PARITY_ODD;
            case EVEN -> SerialPort.PARITY_EVEN;
            case MARK -> SerialPort.PARITY_MARK;
            case SPACE -> SerialPort.PARITY_SPACE;
        };
    }

    private static int stopBits(SerialSettings.StopBits stopBits) {
        return switch (stopBits) {
            case ONE -> SerialPort.STOPBITS_1;
            case ONE_AND_HALF -> SerialPort.STOPBITS_1_5;
            case TWO -> SerialPort.STOPBITS_2;
        };
    }

    @Override
    public String toString() {
        return "JsscSerialLink[" + name() + "]";
    }
}
