package org.campusedge.bridge.serial;

import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps one serial device read. Owns the link and one thread named {@code reader-<id>} that opens
 * the link, reads with a short timeout and hands every chunk of bytes to the protocol decoder.
 * When the device fails or vanishes the thread closes the link and reopens it with exponential
 * backoff (reset after every successful open). It reports {@code ONLINE} once after each
 * successful open and {@code OFFLINE} once when opening fails, the link fails or the loop is
 * closed — never repeated while the state holds — and logs one line per transition.
 *
 * <p>Threads: all link I/O, the byte sink, the tick and the status consumer run on the reader thread, which
 * owns the link between {@link #start()} and {@link #close()}. {@link #online()} and
 * {@link #reconnects()} may be read from any thread.
 */
public final class SerialReaderLoop implements AutoCloseable {

    /** Receives bytes as they arrive: {@code bytes[0..length)}; the array is reused after the call. */
    @FunctionalInterface
    public interface ByteSink {
        void accept(byte[] bytes, int length);
    }

    /**
     * Called on the reader thread after every read while the link is open, whether bytes came or
     * not (at least every {@link #READ_TIMEOUT}), so a request/response protocol can send its next
     * command and notice a missing answer. A {@link SerialLinkException} it throws is a link failure.
     */
    @FunctionalInterface
    public interface Tick {
        void tick() throws SerialLinkException;
    }

    /**
     * Reconnect timing: wait {@code initial} after the first failure, double after each further
     * failure up to {@code max}.
     */
    public record Backoff(Duration initial, Duration max) {
        public Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 < initial <= max, got " + initial + ", " + max);
            }
        }

        /** 100 ms doubling to 5 s: a replugged reader is back within a second, a dead one costs nothing. */
        public static Backoff defaults() {
            return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        }

        /** The wait after {@code current}. */
        public Duration next(Duration current) {
            Duration doubled = current.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    /** How long one read waits for bytes; bounds how late the thread notices {@link #close()}. */
    public static final Duration READ_TIMEOUT = Duration.ofMillis(50);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(3);
    private static final int BUFFER_SIZE = 256;
    private static final Logger LOG = LoggerFactory.getLogger(SerialReaderLoop.class);

    private final String readerId;
    private final SerialLink link;
    private final ByteSink bytes;
    private final Tick tick;
    private final Consumer<ReaderStatus> status;
    private final Backoff backoff;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private final ListenerFailures callbackFailures;
    private volatile boolean online;
    private boolean started;
    /** Reader thread only: whether any status was reported yet, and the last offline detail. */
    private boolean reportedOnce;
    private String lastOfflineDetail = "";

    public SerialReaderLoop(String readerId, SerialLink link, ByteSink bytes, Consumer<ReaderStatus> status,
                            Backoff backoff, Clock clock) {
        this(readerId, link, bytes, () -> { }, status, backoff, clock);
    }

    /** A loop that also calls {@code tick} after every read while the link is open. */
    public SerialReaderLoop(String readerId, SerialLink link, ByteSink bytes, Tick tick, Consumer<ReaderStatus> status,
                            Backoff backoff, Clock clock) {
        this.tick = Objects.requireNonNull(tick, "tick");
        this.readerId = Objects.requireNonNull(readerId, "readerId");
        this.link = Objects.requireNonNull(link, "link");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.status = Objects.requireNonNull(status, "status");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.callbackFailures = new ListenerFailures(LOG, "reader " + readerId);
        this.thread = new Thread(this::run, "reader-" + readerId);
        this.thread.setDaemon(true);
    }

    /** Starts the reader thread; returns at once. A second call does nothing. */
    public synchronized void start() {
        if (stop.getCount() == 0) {
            throw new IllegalStateException("reader " + readerId + " is closed");
        }
        if (!started) {
            started = true;
            thread.start();
        }
    }

    /** Whether the link is open right now. */
    public boolean online() {
        return online;
    }

    /** Times the link was opened again after it had been open before. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Exceptions thrown by the byte sink or the status consumer since start (each logged, rate-limited). */
    public long callbackFailures() {
        return callbackFailures.count();
    }

    /** The reader thread's name, {@code reader-<id>}. */
    public String threadName() {
        return thread.getName();
    }

    /** Whether the reader thread is alive (tests check {@link #close()} ends it). */
    public boolean threadAlive() {
        return thread.isAlive();
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void run() {
        byte[] buffer = new byte[BUFFER_SIZE];
        Duration delay = backoff.initial();
        boolean openedBefore = false;
        while (!stopping()) {
            try {
                link.open();
            } catch (SerialLinkException e) {
                wentOffline(e.getMessage());
                pause(delay);
                delay = backoff.next(delay);
                continue;
            }
            if (openedBefore) {
                reconnects.incrementAndGet();
            }
            openedBefore = true;
            delay = backoff.initial();
            wentOnline();
            try {
                pump(buffer);
            } catch (SerialLinkException e) {
                link.close();
                wentOffline(e.getMessage());
                pause(delay);
                delay = backoff.next(delay);
            }
        }
        link.close();
        LOG.info("reader {}: stopped", readerId);
        if (online) {
            // A deliberate stop: reported like any other OFFLINE, but logged once above, not as a warning.
            online = false;
            emit(ReaderStatus.State.OFFLINE, link.name() + ": reader stopped");
        }
    }

    /** Reads until the loop is closed; returns normally only then. */
    private void pump(byte[] buffer) throws SerialLinkException {
        while (!stopping()) {
            int n = link.read(buffer, READ_TIMEOUT);
            if (n > 0) {
                try {
                    bytes.accept(buffer, n);
                } catch (RuntimeException e) {
                    callbackFailures.record("byte sink", e);
                }
            }
            try {
                tick.tick();
            } catch (RuntimeException e) {
                callbackFailures.record("tick", e);
            }
        }
    }

    private void pause(Duration delay) {
        try {
            stop.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Nobody but close() should stop this thread; treat an interrupt the same way.
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    private void wentOnline() {
        if (reportedOnce && online) {
            return;
        }
        reportedOnce = true;
        online = true;
        lastOfflineDetail = "";
        LOG.info("reader {}: online on {}", readerId, link.name());
        emit(ReaderStatus.State.ONLINE, link.name() + ": open");
    }

    private void wentOffline(String detail) {
        if (reportedOnce && !online) {
            if (!detail.equals(lastOfflineDetail)) {
                LOG.debug("reader {}: still offline: {}", readerId, detail);
                lastOfflineDetail = detail;
            }
            return;
        }
        reportedOnce = true;
        online = false;
        lastOfflineDetail = detail;
        LOG.warn("reader {}: offline: {}", readerId, detail);
        emit(ReaderStatus.State.OFFLINE, detail);
    }

    private void emit(ReaderStatus.State state, String detail) {
        try {
            status.accept(new ReaderStatus(readerId, state, detail, clock.instant()));
        } catch (RuntimeException e) {
            callbackFailures.record("status listener", e);
        }
    }

    /**
     * Stops the reader thread (it notices within one {@link #READ_TIMEOUT}), waits for it and closes
     * the link. Idempotent.
     */
    @Override
    public void close() {
        stop.countDown();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("reader {}: thread {} did not stop within {} ms (a listener is blocking it)",
                        readerId, thread.getName(), JOIN_TIMEOUT.toMillis());
            }
        }
        link.close();
    }
}
