package org.campusedge.bridge.serial;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two connected in-memory {@link SerialLink}s: bytes written to one end are read from the other.
 * For the demo where socat is absent, and for fast unit tests. {@link #disconnect()} simulates
 * unplugging the device: reads on an open end fail with {@code IO_ERROR} and opening fails
 * with {@code NOT_FOUND} until {@link #reconnect()}.
 *
 * <p>Each direction is a bounded ring of {@value #CAPACITY} bytes; a writer facing a full ring
 * waits up to a second for the reader, then fails with {@code IO_ERROR}. Thread-safe: all state
 * is guarded by one lock, so the driver's reader thread and a simulator thread can use the two
 * ends concurrently.
 */
public final class InProcessSerialPipe {

    /** Bytes buffered per direction before a writer blocks (a real UART buffer is a few KiB). */
    public static final int CAPACITY = 64 * 1024;

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Ring toDevice = new Ring();
    private final Ring toHost = new Ring();
    private final End host;
    private final End device;
    private boolean plugged = true;
    private long generation;

    public InProcessSerialPipe(String name) {
        this.name = name;
        this.host = new End("inproc:" + name, toHost, toDevice);
        this.device = new End("inproc:" + name + "-device", toDevice, toHost);
    }

    /** The end the driver (the agent) opens. */
    public SerialLink hostEnd() {
        return host;
    }

    /** The end the device simulator writes. */
    public SerialLink deviceEnd() {
        return device;
    }

    public String name() {
        return name;
    }

    /** Unplugs the device: both ends fail until {@link #reconnect()}; buffered bytes are lost. */
    public void disconnect() {
        lock.lock();
        try {
            plugged = false;
            generation++;
            toDevice.clear();
            toHost.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the device is plugged in. */
    public boolean isConnected() {
        lock.lock();
        try {
            return plugged;
        } finally {
            lock.unlock();
        }
    }

    /** Plugs the device back in; ends must be reopened. */
    public void reconnect() {
        lock.lock();
        try {
            plugged = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A fixed-size byte ring; guarded by the pipe's lock. */
    private static final class Ring {
        private final byte[] data = new byte[CAPACITY];
        private int start;
        private int size;

        void clear() {
            start = 0;
            size = 0;
        }
    }

    private final class End implements SerialLink {
        private final String endName;
        private final Ring in;
        private final Ring out;
        private long openedGeneration = -1;

        End(String endName, Ring in, Ring out) {
            this.endName = endName;
            this.in = in;
            this.out = out;
        }

        @Override
        public String name() {
            return endName;
        }

        @Override
        public void open() throws SerialLinkException {
            lock.lock();
            try {
                if (!plugged) {
                    throw new SerialLinkException(SerialLinkException.Reason.NOT_FOUND, endName, "no such device");
                }
                openedGeneration = generation;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            lock.lock();
            try {
                return openedGeneration >= 0;
            } finally {
                lock.unlock();
            }
        }

        private void check() throws SerialLinkException {
            if (openedGeneration < 0) {
                throw new SerialLinkException(SerialLinkException.Reason.CLOSED, endName, "link is closed");
            }
            if (!plugged || openedGeneration != generation) {
                openedGeneration = -1;
                throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, endName, "Input/output error (device unplugged)");
            }
        }

        @Override
        public int read(byte[] buffer, Duration timeout) throws SerialLinkException {
            long nanos = timeout.toNanos();
            lock.lock();
            try {
                check();
                while (in.size == 0) {
                    if (nanos <= 0) {
                        return 0;
                    }
                    try {
                        nanos = changed.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 0;
                    }
                    check();
                }
                int n = Math.min(buffer.length, in.size);
                for (int i = 0; i < n; i++) {
                    buffer[i] = in.data[(in.start + i) % CAPACITY];
                }
                in.start = (in.start + n) % CAPACITY;
                in.size -= n;
                changed.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] bytes) throws SerialLinkException {
            lock.lock();
            try {
                for (byte b : bytes) {
                    check();
                    while (out.size == CAPACITY) {
                        try {
                            if (!changed.await(1, TimeUnit.SECONDS)) {
                                throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, endName,
                                        "write timed out: nobody is reading the other end");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new SerialLinkException(SerialLinkException.Reason.IO_ERROR, endName, "write interrupted");
                        }
                        check();
                    }
                    out.data[(out.start + out.size) % CAPACITY] = b;
                    out.size++;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                openedGeneration = -1;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
