package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialReaderLoop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RDM6300 driver: a {@link SerialReaderLoop} feeding an {@link Rdm6300Decoder}. The module
 * repeats a tag's frame for as long as it is held over the antenna; this driver turns that into
 * one {@link CardRead} per presentation: the same tag again within the hold window after its
 * previous frame is counted as a duplicate, a different tag or a later presentation is a new read.
 *
 * <p>The decoder and the de-duplication state belong to the reader thread; counters are atomics
 * readable from anywhere.
 */
public final class Rdm6300Reader implements CardReader {

    public static final String FORMAT = "EM4100";
    /** Modules repeat every ~100 ms while a tag is held; a gap longer than this means it was taken away. */
    public static final Duration DEFAULT_HOLD_WINDOW = Duration.ofMillis(1000);

    private final String id;
    private final ReaderListener listener;
    private final Clock clock;
    private final Duration holdWindow;
    private final Rdm6300Decoder decoder = new Rdm6300Decoder(this::onFrame);
    private final SerialReaderLoop loop;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong checksumErrors = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private String lastCard;
    private Instant lastFrameAt = Instant.MIN;

    public Rdm6300Reader(String id, SerialLink link, ReaderListener listener, Clock clock) {
        this(id, link, listener, clock, DEFAULT_HOLD_WINDOW, SerialReaderLoop.Backoff.defaults());
    }

    public Rdm6300Reader(String id, SerialLink link, ReaderListener listener, Clock clock, Duration holdWindow,
                         SerialReaderLoop.Backoff backoff) {
        this.id = id;
        this.listener = listener;
        this.clock = clock;
        this.holdWindow = holdWindow;
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

    private void onBytes(byte[] bytes, int length) {
        decoder.feed(bytes, 0, length);
        checksumErrors.set(decoder.checksumErrors());
        droppedBytes.set(decoder.droppedBytes());
        resyncs.set(decoder.resyncs());
    }

    private void onFrame(Rdm6300Frame frame) {
        frames.incrementAndGet();
        Instant now = clock.instant();
        String card = frame.hexId();
        boolean held = card.equals(lastCard) && Duration.between(lastFrameAt, now).compareTo(holdWindow) < 0;
        lastCard = card;
        lastFrameAt = now;
        if (held) {
            duplicates.incrementAndGet();
            return;
        }
        reads.incrementAndGet();
        listener.onCardRead(new CardRead(id, FORMAT, card, card, 40, now));
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

    @Override
    public void close() {
        loop.close();
    }
}
