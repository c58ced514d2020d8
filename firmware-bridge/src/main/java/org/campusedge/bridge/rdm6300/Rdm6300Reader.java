package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.HeldCardFilter;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RDM6300 driver: a {@link SerialReaderLoop} (thread {@code reader-<id>}, reconnect with
 * backoff) feeding an {@link Rdm6300Decoder}. The module repeats a tag's frame for as long as the
 * tag is held over the antenna (about every 50 ms: Hobby Components forum, "RDM6300 125KHz (ID)
 * RFID reader module (HCRFID0006)"); this driver turns that into one {@link CardRead} per
 * presentation. The same tag again within the hold window after its previous frame is counted as
 * a duplicate, so a tag held for minutes is still one read; a different tag, or the same tag after
 * a gap longer than the window, is a new read.
 *
 * <p>Threads: the decoder and the de-duplication state belong to the reader thread, which also
 * calls the listener; counters are atomics readable from any thread.
 */
public final class Rdm6300Reader implements CardReader {

    /** {@link CardRead#format()} of every read. */
    public static final String FORMAT = "EM4100";
    /** Frames of a held tag arrive every ~50 ms; a gap of a second means it was taken away. */
    public static final Duration DEFAULT_HOLD_WINDOW = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Rdm6300Reader.class);

    private final String id;
    private final ReaderListener listener;
    private final Clock clock;
    private final Rdm6300Decoder decoder = new Rdm6300Decoder(this::onFrame);
    private final SerialReaderLoop loop;
    private final ListenerFailures listenerFailures;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong checksumErrors = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    /** Reader thread only. */
    private final HeldCardFilter held;
    private Instant chunkArrivedAt = Instant.MIN;

    /** A reader with the default hold window and reconnect backoff. */
    public Rdm6300Reader(String id, SerialLink link, ReaderListener listener, Clock clock) {
        this(id, link, listener, clock, DEFAULT_HOLD_WINDOW, SerialReaderLoop.Backoff.defaults());
    }

    /**
     * @param id         the configured reader id (also names the thread {@code reader-<id>})
     * @param link       the serial link at 9600 8N1, owned and closed by this reader
     * @param listener   receives reads and status changes on the reader thread
     * @param clock      stamps {@link CardRead#readAt()} (when the frame's last byte arrived) and
     *                   measures the hold window
     * @param holdWindow how long after a tag's last frame the same tag is still the same presentation
     * @param backoff    reconnect timing
     */
    public Rdm6300Reader(String id, SerialLink link, ReaderListener listener, Clock clock, Duration holdWindow,
                         SerialReaderLoop.Backoff backoff) {
        this.id = Objects.requireNonNull(id, "id");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.held = new HeldCardFilter(holdWindow);
        this.listenerFailures = new ListenerFailures(LOG, "reader " + id);
        this.loop = new SerialReaderLoop(id, link, this::onBytes, listener::onStatus, backoff, clock);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
        loop.start();
    }

    /** Reader thread. */
    private void onBytes(byte[] bytes, int length) {
        chunkArrivedAt = clock.instant();
        decoder.feed(bytes, 0, length);
        publishDecoderCounters();
    }

    private void publishDecoderCounters() {
        checksumErrors.set(decoder.checksumErrors());
        droppedBytes.set(decoder.droppedBytes());
        resyncs.set(decoder.resyncs());
    }

    /**
     * Reader thread, from inside {@link Rdm6300Decoder#feed}. Every counter is up to date before
     * the listener hears of a read, and the total ({@code frames}) moves after its kind (read or
     * duplicate): whoever sees a count sees what it implies.
     */
    private void onFrame(Rdm6300Frame frame) {
        publishDecoderCounters();
        Instant now = chunkArrivedAt;
        String card = frame.hexId();
        if (held.isRepeat(card, now)) {
            duplicates.incrementAndGet();
            frames.incrementAndGet();
            return;
        }
        reads.incrementAndGet();
        frames.incrementAndGet();
        CardRead read = new CardRead(id, FORMAT, card, card, Rdm6300Frame.BIT_COUNT, now);
        try {
            listener.onCardRead(read);
        } catch (RuntimeException e) {
            listenerFailures.record("onCardRead", e);
        }
    }

    @Override
    public ReaderCounters counters() {
        return new ReaderCounters(frames.get(), reads.get(), duplicates.get(), checksumErrors.get(), droppedBytes.get(),
                resyncs.get(), loop.reconnects(), loop.online());
    }

    /** Whether the reader thread is running (tests check {@link #close()} ends it). */
    public boolean threadAlive() {
        return loop.threadAlive();
    }

    /** Stops the reader thread and closes the link. Idempotent. */
    @Override
    public void close() {
        loop.close();
    }
}
