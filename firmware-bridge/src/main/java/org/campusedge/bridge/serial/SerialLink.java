package org.campusedge.bridge.serial;

import java.time.Duration;

/**
 * A byte pipe to one serial device. The transport seam: protocol code talks to this, never to
 * jssc. Not thread-safe for reading: one thread reads; writes may come from another thread and
 * are serialised by the implementation.
 */
public interface SerialLink extends AutoCloseable {

    /** A human-readable name for logs, normally the port path. */
    String name();

    /** Opens and configures the port. */
    void open() throws SerialLinkException;

    boolean isOpen();

    /**
     * Reads whatever is available into {@code buffer}, waiting at most {@code timeout} for the
     * first byte.
     *
     * @return the number of bytes read; 0 if the timeout passed with nothing to read
     * @throws SerialLinkException if the device failed or vanished; the link is then closed
     */
    int read(byte[] buffer, Duration timeout) throws SerialLinkException;

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws SerialLinkException;

    /** Releases the port. Idempotent; never throws. */
    @Override
    void close();
}
