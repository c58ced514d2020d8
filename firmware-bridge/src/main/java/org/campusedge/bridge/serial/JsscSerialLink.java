package org.campusedge.bridge.serial;

import jssc.SerialPort;
import jssc.SerialPortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link SerialLink} over jssc 2.10.
 *
 * <p>Reads poll the driver's input count and park about 1 ms between polls: jssc's own
 * {@code readBytes(n, timeout)} busy-spins on that count, which would burn a Pi core per idle
 * reader. A vanished device (USB-serial adapter unplugged, socat killed) shows up as
 * "Input/output error" from the count ioctl; the link then closes itself and reports
 * {@link SerialLinkException.Reason#IO_ERROR}.
 *
 * <p>Threads: one thread (the reader's) calls {@link #read}; {@link #write} may be called from
 * any thread and is serialised by a lock; {@link #open()} and {@link #close()} are synchronised.
 */
public final class JsscSerialLink implements SerialLink {

    private static final Logger LOG = LoggerFactory.getLogger(JsscSerialLink.class);
    /** One byte at 9600 baud takes ~1 ms, so a 1 ms park adds at most about one byte time of latency. */
    private static final long IDLE_PARK_NANOS = 1_000_000L;

    private final SerialSettings settings;
    private final Object writeLock = new Object();
    private volatile SerialPort port;

    public JsscSerialLink(SerialSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String name() {
        return settings.port();
    }

    public SerialSettings settings() {
        return settings;
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
        boolean applied;
        try {
            applied = p.setParams(settings.baud(), settings.dataBits(), stopBits(settings.stopBits()),
                    parity(settings.parity()), false, false);
        } catch (SerialPortException e) {
            closeQuietly(p);
            throw new SerialLinkException(SerialLinkException.Reason.BAD_PARAMETERS, name(),
                    "cannot set " + describeSettings() + ": " + shortCause(e), e);
        }
        if (!applied) {
            // jssc's native setParams applies the line settings with tcsetattr and only then sets
            // RTS/DTR with TIOCMGET/TIOCMSET, answering false if any step fails (jssc.cpp,
            // Java_jssc_SerialNativeInterface_setParams). A pseudo-terminal has no modem lines, so
            // on a pty false only means "RTS/DTR not set" and the port is usable; on a real
            // adapter it means the settings were refused.
            if (isPseudoTerminal(Path.of(settings.port()))) {
                LOG.debug("{}: pseudo-terminal has no modem lines; {} applied without RTS/DTR", name(), describeSettings());
            } else {
                closeQuietly(p);
                throw new SerialLinkException(SerialLinkException.Reason.BAD_PARAMETERS, name(),
                        "the driver refused " + describeSettings());
            }
        }
        port = p;
    }

    /** Whether {@code device} resolves to a Unix98 pseudo-terminal ({@code /dev/pts/N}). */
    static boolean isPseudoTerminal(Path device) {
        try {
            return device.toRealPath().startsWith(Path.of("/dev/pts"));
        } catch (IOException e) {
            return false;
        }
    }

    private SerialLinkException openFailure(SerialPortException e) {
        String type = String.valueOf(e.getExceptionType());
        // Exception types and their errno mapping: jssc SerialPortException constants and
        // jssc.cpp openPort (EBUSY -> busy, ENOENT -> not found, EACCES -> permission denied).
        if (type.equals(SerialPortException.TYPE_PORT_NOT_FOUND)) {
            return new SerialLinkException(SerialLinkException.Reason.NOT_FOUND, name(), "no such device", e);
        }
        if (type.equals(SerialPortException.TYPE_INCORRECT_SERIAL_PORT)) {
            return new SerialLinkException(SerialLinkException.Reason.NOT_FOUND, name(), "not a serial port", e);
        }
        if (type.equals(SerialPortException.TYPE_PORT_BUSY)) {
            return new SerialLinkException(SerialLinkException.Reason.BUSY_OR_DENIED, name(),
                    "port busy (is another program using it?)", e);
        }
        if (type.equals(SerialPortException.TYPE_PERMISSION_DENIED)) {
            return new SerialLinkException(SerialLinkException.Reason.BUSY_OR_DENIED, name(),
                    "permission denied (is the service user in group dialout?)", e);
        }
        return new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), "cannot open: " + shortCause(e), e);
    }

    @Override
    public boolean isOpen() {
        return port != null;
    }

    @Override
    public int read(byte[] buffer, Duration timeout) throws SerialLinkException {
        SerialPort p = requireOpen();
        if (buffer.length == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        try {
            while (true) {
                int available = p.getInputBufferBytesCount();
                if (available < 0) {
                    throw failed(p, "the driver reported a negative input count", null);
                }
                if (available > 0) {
                    byte[] bytes = p.readBytes(Math.min(available, buffer.length));
                    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                    return bytes.length;
                }
                // An interrupted thread would return from every park at once; give its caller the
                // timeout answer (flag kept) instead of spinning until the deadline.
                if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    return 0;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        } catch (SerialPortException e) {
            throw failed(p, shortCause(e), e);
        }
    }

    @Override
    public void write(byte[] bytes) throws SerialLinkException {
        synchronized (writeLock) {
            SerialPort p = requireOpen();
            try {
                if (!p.writeBytes(bytes)) {
                    throw failed(p, "short write", null);
                }
            } catch (SerialPortException e) {
                throw failed(p, shortCause(e), e);
            }
        }
    }

    /**
     * Closes the link after a failure on {@code p}. If another thread closed the link meanwhile,
     * the failure is the closing itself and is reported as {@code CLOSED}.
     */
    private SerialLinkException failed(SerialPort p, String detail, Throwable cause) {
        boolean closedMeanwhile = port != p;
        close();
        if (closedMeanwhile) {
            return new SerialLinkException(SerialLinkException.Reason.CLOSED, name(), "link was closed", cause);
        }
        return new SerialLinkException(SerialLinkException.Reason.IO_ERROR, name(), detail, cause);
    }

    private SerialPort requireOpen() throws SerialLinkException {
        SerialPort p = port;
        if (p == null) {
            throw new SerialLinkException(SerialLinkException.Reason.CLOSED, name(), "link is closed");
        }
        return p;
    }

    /** jssc's message is "Port name - X; Method name - Y; Exception type - Z."; operators need only Z. */
    private static String shortCause(SerialPortException e) {
        String type = e.getExceptionType();
        return type == null ? String.valueOf(e.getMessage()) : type.replace("Native exception occurred: ", "");
    }

    private String describeSettings() {
        String stop = switch (settings.stopBits()) {
            case ONE -> "1";
            case ONE_AND_HALF -> "1.5";
            case TWO -> "2";
        };
        return settings.baud() + " baud " + settings.dataBits() + settings.parity().name().charAt(0) + stop;
    }

    @Override
    public synchronized void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            closeQuietly(p);
        }
    }

    private void closeQuietly(SerialPort p) {
        try {
            p.closePort();
        } catch (SerialPortException e) {
            // The descriptor is released by the kernel even when close reports an error (the
            // device is usually already gone); there is nothing left to retry.
            LOG.debug("{}: close reported {}", name(), shortCause(e));
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
