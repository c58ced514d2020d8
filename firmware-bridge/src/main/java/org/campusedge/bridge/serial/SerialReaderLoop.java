package org.campusedge.bridge.serial;

import org.campusedge.bridge.ReaderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps one serial device read: owns the link and one thread named {@code reader-<id>} that
 * opens the link, reads with a short timeout and hands every chunk of bytes to the protocol
 * decoder. When the device fails or vanishes it closes the link and reopens it with exponential
 * backoff (reset after a successful open), reporting {@code ONLINE} once per successful open and
 * {@code OFFLINE} once per failure — never repeated while the state holds.
 *
 * <p>The byte consumer and status consumer run on the reader thread.
 */
public final class SerialReaderLoop implements AutoCloseable {

    /** Receives bytes as they arrive: {@code bytes[0..length)}; the array is reused after the call. */
    @FunctionalInterface
    public interface ByteSink {
        void accept(byte[] bytes, int length);
    }

    /** Reconnect timing. */
    public record Backoff(Duration initial, Duration max) {
        public Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 < initial <= max");
            }
        }

        public static Backoff defaults() {
            return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SerialReaderLoop.class);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(50);

    private final String readerId;
    private final SerialLink link;
    private final ByteSink bytes;
    private final Consumer<ReaderStatus> status;
    private final Backoff backoff;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean running;
    private volatile boolean online;
    /** Touched only by the reader thread. */
    private boolean reportedOnce;

    public SerialReaderLoop(String readerId, SerialLink link, ByteSink bytes, Consumer<ReaderStatus> status,
                            Backoff backoff, Clock clock) {
        this.readerId = readerId;
        this.link = link;
        this.bytes = bytes;
        this.status = status;
        this.backoff = backoff;
        this.clock = clock;
        this.thread = new Thread(this::run, "reader-" + readerId);
        this.thread.setDaemon(true);
    }

    public synchronized void start() {
        if (running || thread.isAlive()) {
            return;
        }
        running = true;
        thread.start();
    }

    public boolean online() {
        return online;
    }

    /** Times the link was reopened after a failure. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Whether the reader thread is still alive (tests check {@link #close()} ends it). */
    public boolean threadAlive() {
        return thread.isAlive();
    }

    private void run() {
        byte[] buffer = new byte[256];
        long delayMs = backoff.initial().toMillis();
        boolean everOpened = false;
        String lastFailure = null;
        while (running) {
            try {
                link.open();
                if (everOpened) {
                    reconnects.incrementAndGet();
                }
                everOpened = true;
                delayMs = backoff.initial().toMillis();
                lastFailure = null;
                report(ReaderStatus.State.ONLINE, link.name() + " open");
                while (running) {
                    int n = link.read(buffer, READ_TIMEOUT);
                    if (n > 0) {
                        bytes.accept(buffer, n);
                    }
                }
            } catch (SerialLinkException e) {
                link.close();
                String detail = e.getMessage();
                if (online || !detail.equals(lastFailure)) {
                    LOG.warn("reader {}: {}", readerId, detail);
                }
                lastFailure = detail;
                report(ReaderStatus.State.OFFLINE, detail);
                sleep(delayMs);
                delayMs = Math.min(backoff.max().toMillis(), delayMs * 2);
            } catch (RuntimeException e) {
                LOG.error("reader {}: decoder failure, reopening the link", readerId, e);
                link.close();
                report(ReaderStatus.State.OFFLINE, "internal error: " + e);
                sleep(delayMs);
            }
        }
        link.close();
        if (online) {
            report(ReaderStatus.State.OFFLINE, "reader stopped");
        }
    }

    private void report(ReaderStatus.State state, String detail) {
        boolean nowOnline = state == ReaderStatus.State.ONLINE;
        boolean first = !reportedOnce;
        if (!first && nowOnline == online) {
            return;
        }
        reportedOnce = true;
        online = nowOnline;
        if (nowOnline) {
            LOG.info("reader {}: online ({})", readerId, detail);
        }
        status.accept(new ReaderStatus(readerId, state, detail, clock.instant()));
    }

    private void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops the thread (within a read timeout) and closes the link. Idempotent. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
    }
}
