package org.campusedge.bridge.wiegand;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.HeldCardFilter;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A Wiegand reader on two GPIO inputs. D0 and D1 idle high (pulled up) and a reader pulls one low
 * for each bit: a falling edge on D0 is a 0, on D1 a 1. The Pi4J edge listeners only stamp the
 * edge and queue it; the thread {@code wiegand-<id>} feeds a {@link WiegandAssembler}, ends frames
 * on the inter-bit timeout, decodes them with a {@link WiegandDecoder} and reports one
 * {@link CardRead} per presentation (a repeat of the same frame within the repeat window is
 * counted as a duplicate).
 *
 * <p>{@link CardRead#cardId()} is the decimal card number for H10301/H10306 (the facility code
 * is in {@link CardRead#rawHex()}, decodable with {@link WiegandFormat#decode}) and the upper-case
 * hex UID for RAW. Counters: {@code checksumErrors} are parity failures; {@code droppedBytes}
 * counts dropped bits and noise pulses (Wiegand has no bytes); {@code resyncs} counts frames
 * dropped for noise, overflow or a length no configured format takes.
 *
 * <p>Threads: the assembler, the de-duplication state and all listener calls belong to
 * {@code wiegand-<id>}; Pi4J's event thread (the caller's, on the mock platform) only enqueues.
 * The Pi4J context is shared and not owned: {@link #close()} releases this reader's two pins.
 */
public final class WiegandReader implements CardReader {

    private static final Logger LOG = LoggerFactory.getLogger(WiegandReader.class);
    /** Longest the reader thread sleeps between frames, so close() is prompt and clocks may be fake. */
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Edges waiting for the reader thread: far more than the 64 bits of one frame. */
    private static final int QUEUE_CAPACITY = 1024;

    /** One falling edge. */
    private record Edge(int bit, long nanos) {
    }

    private final WiegandReaderConfig config;
    private final Context gpio;
    private final ReaderListener listener;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final WiegandDecoder decoder;
    private final WiegandAssembler assembler;
    private final ListenerFailures listenerFailures;
    private final BlockingQueue<Edge> edges = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong parityErrors = new AtomicLong();
    private final AtomicLong rejectedBits = new AtomicLong();
    private final AtomicLong rejectedFrames = new AtomicLong();
    private final AtomicLong overrunEdges = new AtomicLong();
    private final DigitalStateChangeListener d0Listener = e -> edge(0, e.state());
    private final DigitalStateChangeListener d1Listener = e -> edge(1, e.state());
    private volatile boolean running;
    private volatile boolean started;
    private volatile boolean closed;
    private DigitalInput d0;
    private DigitalInput d1;
    /** Reader thread only. */
    private final HeldCardFilter held;

    /** A reader timed by {@link System#nanoTime()}. */
    public WiegandReader(Context gpio, WiegandReaderConfig config, ReaderListener listener, Clock clock) {
        this(gpio, config, listener, clock, System::nanoTime);
    }

    /**
     * @param gpio     the shared Pi4J context (not shut down by this reader)
     * @param config   pins, formats, timing
     * @param listener receives reads and status changes on the reader thread
     * @param clock    stamps {@link CardRead#readAt()} and measures the repeat window
     * @param nanoTime stamps edges and measures the inter-bit timeout
     */
    public WiegandReader(Context gpio, WiegandReaderConfig config, ReaderListener listener, Clock clock, LongSupplier nanoTime) {
        this.gpio = Objects.requireNonNull(gpio, "gpio");
        this.config = Objects.requireNonNull(config, "config");
        this.held = new HeldCardFilter(config.repeatWindow());
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.decoder = new WiegandDecoder(config.formats(), config.uidByteOrder());
        this.assembler = new WiegandAssembler(config.timing(), this::onFrame);
        this.listenerFailures = new ListenerFailures(LOG, "reader " + config.id());
        this.thread = new Thread(this::run, "wiegand-" + config.id());
        this.thread.setDaemon(true);
    }

    @Override
    public String id() {
        return config.id();
    }

    /**
     * Provisions D0 and D1 (pull-up, no debounce: Pi4J's default debounce would swallow
     * 50 µs pulses) and starts the reader thread, which reports online.
     *
     * @throws IllegalStateException if already started or closed, or a pin cannot be provisioned
     */
    @Override
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("reader " + id() + " was already started");
        }
        try {
            d0 = input(config.d0Id(), config.d0Bcm(), "D0");
            d1 = input(config.d1Id(), config.d1Bcm(), "D1");
        } catch (RuntimeException e) {
            releasePins();
            throw new IllegalStateException("reader " + id() + ": cannot provision D0 BCM " + config.d0Bcm() + " / D1 BCM "
                    + config.d1Bcm() + ": " + e.getMessage(), e);
        }
        d0.addListener(d0Listener);
        d1.addListener(d1Listener);
        started = true;
        running = true;
        thread.start();
    }

    private DigitalInput input(String ioId, int bcm, String line) {
        return gpio.create(DigitalInput.newConfigBuilder(gpio)
                .id(ioId)
                .name(id() + " Wiegand " + line + " (BCM " + bcm + ")")
                .address(bcm)
                .pull(PullResistance.PULL_UP)
                .debounce(0L)
                .build());
    }

    /** Pi4J event thread: stamp and hand over, nothing else. */
    private void edge(int bit, DigitalState state) {
        if (state != DigitalState.LOW) {
            return;
        }
        if (!edges.offer(new Edge(bit, nanoTime.getAsLong()))) {
            overrunEdges.incrementAndGet();
        }
    }

    /** Reader thread. */
    private void run() {
        status(ReaderStatus.State.ONLINE, "Wiegand D0 BCM " + config.d0Bcm() + ", D1 BCM " + config.d1Bcm());
        try {
            while (running) {
                OptionalLong endsAt = assembler.frameEndsAtNanos();
                long wait = endsAt.isPresent() ? Math.min(IDLE_WAIT_NANOS, Math.max(0, endsAt.getAsLong() - nanoTime.getAsLong()))
                        : IDLE_WAIT_NANOS;
                Edge e = wait == 0 ? edges.poll() : edges.poll(wait, TimeUnit.NANOSECONDS);
                if (e != null) {
                    assembler.onPulse(e.bit(), e.nanos());
                } else {
                    assembler.poll(nanoTime.getAsLong());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            status(ReaderStatus.State.OFFLINE, "reader closed");
        }
    }

    /** Reader thread, from inside the assembler. */
    private void onFrame(WiegandFrame frame) {
        WiegandCard card;
        try {
            card = decoder.decode(frame);
        } catch (WiegandException e) {
            if (e.reason() == WiegandException.Reason.LENGTH) {
                rejectedBits.addAndGet(frame.bitCount()); // bits before frames: a reader of the frame count sees its bits
                rejectedFrames.incrementAndGet();
            } else {
                parityErrors.incrementAndGet();
            }
            LOG.debug("reader {}: frame dropped: {}", id(), e.getMessage());
            return;
        }
        Instant now = clock.instant();
        if (held.isRepeat(frame, now)) {
            duplicates.incrementAndGet();
            frames.incrementAndGet(); // the total after its kind, so whoever sees it sees which kind
            return;
        }
        reads.incrementAndGet();
        frames.incrementAndGet();
        CardRead read = new CardRead(id(), card.format().wireName(), card.cardId(), card.rawHex(), card.bitCount(), now,
                card.facilityCode());
        try {
            listener.onCardRead(read);
        } catch (RuntimeException ex) {
            listenerFailures.record("onCardRead", ex);
        }
    }

    private void status(ReaderStatus.State state, String detail) {
        try {
            listener.onStatus(new ReaderStatus(id(), state, detail, clock.instant()));
        } catch (RuntimeException e) {
            listenerFailures.record("onStatus", e);
        }
    }

    @Override
    public ReaderCounters counters() {
        long dropped = assembler.droppedBits() + assembler.noisePulses() + rejectedBits.get() + overrunEdges.get();
        return new ReaderCounters(frames.get(), reads.get(), duplicates.get(), parityErrors.get(), dropped,
                assembler.droppedFrames() + rejectedFrames.get(), 0, started && !closed);
    }

    /** Whether the reader thread is running (tests check {@link #close()} ends it). */
    public boolean threadAlive() {
        return thread.isAlive();
    }

    /** Stops the reader thread, then removes the listeners and releases both pins. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (started) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("reader {}: thread wiegand-{} did not stop within 2 s", id(), id());
            }
        }
        releasePins();
    }

    private void releasePins() {
        for (DigitalInput in : new DigitalInput[] {d0, d1}) {
            if (in == null) {
                continue;
            }
            try {
                in.removeListener(d0Listener, d1Listener);
                gpio.shutdown(in.id());
            } catch (RuntimeException e) {
                LOG.warn("reader {}: releasing {} failed: {}", id(), in.id(), e.toString());
            }
        }
        d0 = null;
        d1 = null;
    }
}
