package org.campusedge.bridge.pn532;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.HeldCardFilter;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PN532 driver, controller side, over HSU (115200 8N1). A {@link SerialReaderLoop} (thread
 * {@code reader-<id>}, reconnect with backoff) feeds a {@link Pn532Decoder} and ticks a
 * request/response session: after each (re)open it sends the HSU wake-up preamble and
 * SAMConfiguration (normal mode), GetFirmwareVersion and RFConfiguration (one passive-activation
 * retry, so a poll without a card answers NbTg 0 at once instead of waiting for one), then polls
 * with InListPassiveTarget (MaxTg 1, 106 kbps type A) every poll interval and releases a listed
 * target with InRelease. Each command must be ACKed and answered within the response timeout
 * (UM0701-02 §6.2.2: the PN532 ACKs a frame, then sends the response); a miss is a counted timeout
 * after which the session starts again with the wake-up. After {@code timeoutsBeforeOffline}
 * timeouts in a row the reader is reported OFFLINE; the first answer after that reports it ONLINE.
 * ONLINE is reported on the first answer after the port opens, not on the open itself.
 *
 * <p>A card held on the antenna is listed on poll after poll: the same UID again within the hold
 * window after it was last seen is counted as a duplicate, so one presentation is one read.
 *
 * <p>Threads: the decoder, the session and the de-duplication state belong to the reader thread,
 * which also calls the listener; counters are atomics or volatiles readable from any thread.
 */
public final class Pn532Reader implements CardReader {

    /** {@link CardRead#format()} of every read. */
    public static final String FORMAT = "ISO14443A";
    private static final Logger LOG = LoggerFactory.getLogger(Pn532Reader.class);

    /** Where the session is in its current exchange. */
    private enum Phase { IDLE, AWAIT_ACK, AWAIT_RESPONSE }

    /** §7.2.10 SAMConfiguration: Mode 01 normal, Timeout 14 (1 s, virtual-card mode only), IRQ 01. */
    static final Pn532Frame.Information SAM_NORMAL =
            Pn532Frame.Information.command(Pn532Command.SAM_CONFIGURATION, (byte) 0x01, (byte) 0x14, (byte) 0x01);
    /** §7.3.1 RFConfiguration CfgItem 05: MxRtyATR FF, MxRtyPSL 01, MxRtyPassiveActivation 01. */
    static final Pn532Frame.Information ONE_ACTIVATION_RETRY =
            Pn532Frame.Information.command(Pn532Command.RF_CONFIGURATION, (byte) 0x05, (byte) 0xFF, (byte) 0x01, (byte) 0x01);
    /** §7.3.5 InListPassiveTarget: MaxTg 1, BrTy 00 (106 kbps type A). */
    static final Pn532Frame.Information POLL_TYPE_A =
            Pn532Frame.Information.command(Pn532Command.IN_LIST_PASSIVE_TARGET, (byte) 0x01, (byte) 0x00);
    /** §7.3.11 InRelease of target 1. */
    static final Pn532Frame.Information RELEASE_TARGET_1 = Pn532Frame.Information.command(Pn532Command.IN_RELEASE, (byte) 0x01);

    private final String id;
    private final SerialLink link;
    private final ReaderListener listener;
    private final Clock clock;
    private final Pn532ReaderSettings settings;
    private final Pn532Decoder decoder = new Pn532Decoder(this::onFrame);
    private final SerialReaderLoop loop;
    private final ListenerFailures listenerFailures;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong malformedResponses = new AtomicLong();
    private volatile long frames;
    private volatile long checksumErrors;
    private volatile long droppedBytes;
    private volatile long resyncs;
    private volatile boolean online;
    /** Reader thread only. */
    private final Deque<Pn532Frame.Information> queue = new ArrayDeque<>();
    private Phase phase = Phase.IDLE;
    private Pn532Command current = Pn532Command.SAM_CONFIGURATION;
    private long deadline;
    private long nextPollAt;
    private boolean needsWakeUp = true;
    private int consecutiveTimeouts;
    private boolean reported;
    private String lastFirmware = "";
    private final HeldCardFilter held;
    private Instant chunkArrivedAt = Instant.MIN;

    /** A reader with {@link Pn532ReaderSettings#defaults()}. */
    public Pn532Reader(String id, SerialLink link, ReaderListener listener, Clock clock) {
        this(id, link, listener, clock, Pn532ReaderSettings.defaults());
    }

    /**
     * @param id       the configured reader id (also names the thread {@code reader-<id>})
     * @param link     the serial link at 115200 8N1, owned and closed by this reader
     * @param listener receives reads and status changes on the reader thread
     * @param clock    stamps {@link CardRead#readAt()} and measures the hold window (timeouts and
     *                 the poll interval use the monotonic {@link System#nanoTime()})
     * @param settings session timing
     */
    public Pn532Reader(String id, SerialLink link, ReaderListener listener, Clock clock, Pn532ReaderSettings settings) {
        this.id = Objects.requireNonNull(id, "id");
        this.link = Objects.requireNonNull(link, "link");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.held = new HeldCardFilter(settings.holdWindow());
        this.listenerFailures = new ListenerFailures(LOG, "reader " + id);
        this.loop = new SerialReaderLoop(id, link, this::onBytes, this::tick, this::onLinkStatus, settings.backoff(), clock);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
        loop.start();
    }

    /** Reader thread: the loop opened or lost the link. */
    private void onLinkStatus(ReaderStatus status) {
        if (status.state() == ReaderStatus.State.ONLINE) {
            // A fresh port: the PN532 may have been power-cycled with it, so wake it and configure again.
            queue.clear();
            phase = Phase.IDLE;
            needsWakeUp = true;
            consecutiveTimeouts = 0;
            nextPollAt = System.nanoTime();
        } else {
            // The loop has already logged the link's failure (or the deliberate stop).
            report(ReaderStatus.State.OFFLINE, status.detail(), false);
        }
    }

    /** Reader thread. */
    private void onBytes(byte[] bytes, int length) {
        chunkArrivedAt = clock.instant();
        decoder.feed(bytes, 0, length);
        frames = decoder.frames();
        checksumErrors = decoder.checksumErrors();
        droppedBytes = decoder.droppedBytes();
        resyncs = decoder.resyncs();
    }

    /** Reader thread, after every read: sends what is due and notices missing answers. */
    private void tick() throws SerialLinkException {
        long now = System.nanoTime();
        if (phase != Phase.IDLE) {
            if (now - deadline < 0) {
                return;
            }
            timedOut(now);
        }
        if (needsWakeUp) {
            if (now - nextPollAt < 0) {
                return;
            }
            // 55 55 and a long zero preamble before the first frame: see Pn532Encoder#hsuWakeUp for the sources.
            link.write(Pn532Encoder.hsuWakeUp());
            needsWakeUp = false;
            queue.clear();
            queue.add(SAM_NORMAL);
            queue.add(Pn532Frame.Information.command(Pn532Command.GET_FIRMWARE_VERSION));
            queue.add(ONE_ACTIVATION_RETRY);
        }
        if (!queue.isEmpty()) {
            send(queue.poll(), now);
        } else if (now - nextPollAt >= 0) {
            nextPollAt = now + settings.pollInterval().toNanos();
            send(POLL_TYPE_A, now);
        }
    }

    private void send(Pn532Frame.Information command, long now) throws SerialLinkException {
        current = Pn532Command.ofCode(command.code()).orElseThrow();
        phase = Phase.AWAIT_ACK;
        deadline = now + settings.responseTimeout().toNanos();
        link.write(Pn532Encoder.encode(command));
    }

    private void timedOut(long now) {
        timeouts.incrementAndGet();
        consecutiveTimeouts++;
        LOG.debug("reader {}: no {} to {} within {} ms", id, phase == Phase.AWAIT_ACK ? "ACK" : "response", current,
                settings.responseTimeout().toMillis());
        phase = Phase.IDLE;
        needsWakeUp = true;
        nextPollAt = now + settings.pollInterval().toNanos();
        if (consecutiveTimeouts >= settings.timeoutsBeforeOffline()) {
            report(ReaderStatus.State.OFFLINE, link.name() + ": no answer from the PN532 ("
                    + consecutiveTimeouts + " timeouts in a row, last to " + current + ")", true);
        }
    }

    /** Reader thread, from inside {@link Pn532Decoder#feed}. */
    private void onFrame(Pn532Frame frame) {
        if (frame instanceof Pn532Frame.Ack) {
            if (phase == Phase.AWAIT_ACK) {
                phase = Phase.AWAIT_RESPONSE;
                deadline = System.nanoTime() + settings.responseTimeout().toNanos();
            }
        } else if (frame instanceof Pn532Frame.Information info && phase != Phase.IDLE && info.isResponseTo(current)) {
            answered();
            handle(info);
        } else if (frame instanceof Pn532Frame.ErrorFrame && phase != Phase.IDLE) {
            // §6.2.1.5: the PN532 found a syntax error in our frame; configure it again.
            LOG.warn("reader {}: PN532 reported a syntax error for {}", id, current);
            answered();
            needsWakeUp = true;
            nextPollAt = System.nanoTime() + settings.pollInterval().toNanos();
        } else {
            LOG.debug("reader {}: ignoring {} while {} {}", id, frame, phase, current);
        }
    }

    private void answered() {
        phase = Phase.IDLE;
        consecutiveTimeouts = 0;
        report(ReaderStatus.State.ONLINE, link.name() + ": PN532 answering", true);
    }

    private void handle(Pn532Frame.Information response) {
        byte[] data = response.data();
        switch (current) {
            case GET_FIRMWARE_VERSION -> {
                String firmware = data.length == 4 ? String.format("IC %02X firmware %d.%d", data[0], data[1], data[2]) : "?";
                if (!firmware.equals(lastFirmware)) {
                    LOG.info("reader {}: PN532 {}", id, firmware);
                    lastFirmware = firmware;
                }
            }
            case IN_LIST_PASSIVE_TARGET -> {
                try {
                    Optional<Pn532Target> target = Pn532Target.fromListResponse(data);
                    if (target.isPresent()) {
                        onCard(target.get(), data);
                        queue.add(RELEASE_TARGET_1);
                    }
                } catch (Pn532Exception e) {
                    malformedResponses.incrementAndGet();
                    LOG.debug("reader {}: {}", id, e.getMessage());
                }
            }
            default -> {
                // SAMConfiguration, RFConfiguration and InRelease answers carry nothing this driver needs.
            }
        }
    }

    private void onCard(Pn532Target target, byte[] listData) {
        Instant now = chunkArrivedAt;
        String card = target.uidHex();
        if (held.isRepeat(card, now)) {
            duplicates.incrementAndGet();
            return;
        }
        reads.incrementAndGet();
        CardRead read = new CardRead(id, FORMAT, card, HexFormat.of().withUpperCase().formatHex(listData),
                8 * target.uid().length, now);
        try {
            listener.onCardRead(read);
        } catch (RuntimeException e) {
            listenerFailures.record("onCardRead", e);
        }
    }

    /** Reports a transition once, logging it if {@code log}; the first report is always made. */
    private void report(ReaderStatus.State state, String detail, boolean log) {
        boolean up = state == ReaderStatus.State.ONLINE;
        if (reported && online == up) {
            return;
        }
        reported = true;
        online = up;
        if (log && up) {
            LOG.info("reader {}: online: {}", id, detail);
        } else if (log) {
            LOG.warn("reader {}: offline: {}", id, detail);
        }
        try {
            listener.onStatus(new ReaderStatus(id, state, detail, clock.instant()));
        } catch (RuntimeException e) {
            listenerFailures.record("onStatus", e);
        }
    }

    @Override
    public ReaderCounters counters() {
        return new ReaderCounters(frames, reads.get(), duplicates.get(), checksumErrors, droppedBytes, resyncs,
                loop.reconnects(), online, timeouts(), 0);
    }

    /** Commands that got no ACK or no response in time, since start. */
    public long timeouts() {
        return timeouts.get();
    }

    /** InListPassiveTarget responses whose target data was malformed, since start. */
    public long malformedResponses() {
        return malformedResponses.get();
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
