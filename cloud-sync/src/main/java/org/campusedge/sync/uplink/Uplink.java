package org.campusedge.sync.uplink;

import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.StreamMarks;
import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drains the {@link Outbox} to the data center, exactly once at the center and at least once on
 * the wire. At start it asks the center for its {@link StreamMarks}: a mark ahead of the box's
 * (the box lost an acknowledgement) is adopted; a mark behind it (the center lost data) makes the
 * box resend from there, which is safe because the center stores idempotently. Then it sends
 * batches, always from the first stream in {@link Outbox#streams()} order that has a backlog, and
 * acknowledges each batch in the outbox once the center has answered. With nothing to send it
 * waits for {@link #wakeUp()} or the poll interval. Failures are retried with jittered exponential
 * backoff; nothing is ever skipped. A 409 gap rewinds to the center's mark; a refused token is
 * logged once and retried at the longest interval; a 413 halves the batch size; a 429 waits
 * as long as the center's {@code Retry-After} says (without counting towards the backoff: the
 * center is well, only busy with us) and resends the same batch.
 *
 * <p>Each upload tells the center the box's backlog once the batch is in ({@link #backlogAfter});
 * {@link #start()} makes the client's other requests report {@link #backlog()}.
 *
 * <p>All draining runs on one thread named {@code uplink}, which owns the cursors, the backoff and
 * the batch size, and is the only caller of the {@link Outbox} and the {@link UplinkClient}.
 * {@link #wakeUp()}, {@link #stats()} and {@link #drainedTo(String, long)} may be called from any
 * thread. {@link #close()} interrupts the thread (an {@link Outbox} must tolerate that: an
 * acknowledgement lost to it only causes a harmless resend) and abandons a request in flight.
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    /** A Retry-After beyond this is taken for a misconfigured center, not an instruction to go quiet for days. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private final Outbox outbox;
    private final UplinkClient client;
    private final UplinkOptions options;
    private final Backoff backoff;
    private final UplinkProgress progress = new UplinkProgress();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle throttleLog = new LogThrottle(Duration.ofMinutes(1));
    private final LogThrottle backlogLog = new LogThrottle(Duration.ofMinutes(1));
    private final Object signal = new Object();
    private boolean wakeRequested;
    private volatile boolean running;
    private Thread thread;

    private final Map<String, Long> cursors = new HashMap<>();
    private final AdaptiveBatch batchSize;
    private boolean refused;

    public Uplink(Outbox outbox, UplinkClient client, UplinkOptions options) {
        this(outbox, client, options, new Random());
    }

    /** For tests: {@code jitter} draws the backoff delays. */
    public Uplink(Outbox outbox, UplinkClient client, UplinkOptions options, Random jitter) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.backoff = new Backoff(options.minBackoff(), options.maxBackoff(), jitter);
        this.batchSize = new AdaptiveBatch(options.batchSize());
    }

    /** Starts the {@code uplink} thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("an Uplink starts once");
        }
        running = true;
        client.reportBacklog(this::backlog);
        thread = new Thread(this::run, "uplink");
        thread.start();
    }

    /** Tells the uplink new events were committed; it sends them without waiting for the poll. */
    public void wakeUp() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    public UplinkStats stats() {
        return progress.snapshot();
    }

    /**
     * What the box still has to send now: per stream, the events journaled that the center has not
     * acknowledged and when the oldest of them happened (what the agent shows as its sync lag).
     * Any thread; empty if the outbox cannot tell (a failing journal).
     */
    public Optional<Backlog> backlog() {
        return backlogAfter(null, 0);
    }

    /** The backlog once the center holds {@code stream} up to {@code seq} (null: as acknowledged now). */
    private Optional<Backlog> backlogAfter(String stream, long seq) {
        try {
            Map<String, Backlog.Stream> streams = new TreeMap<>();
            for (String s : outbox.streams()) {
                long sent = Math.max(outbox.ackedSeq(s), s.equals(stream) ? seq : 0);
                long behind = Math.min(Backlog.MAX_EVENTS, Math.max(0, outbox.lastSeq(s) - sent));
                streams.put(s, behind == 0 ? Backlog.Stream.empty() : new Backlog.Stream(behind, outbox.occurredAfter(s, sent)));
            }
            return Optional.of(new Backlog(streams));
        } catch (RuntimeException e) {
            backlogLog.acquire().ifPresent(n -> LOG.warn("uplink: cannot tell the backlog: {} ({} similar suppressed)", e.toString(), n));
            return Optional.empty();
        }
    }

    /**
     * Completes once the center has acknowledged {@code stream} up to {@code seq} and the outbox
     * has recorded it; fails if the uplink is closed first.
     */
    public CompletableFuture<Void> drainedTo(String stream, long seq) {
        return progress.await(stream, seq);
    }

    /** Stops the thread promptly and fails pending {@link #drainedTo} futures. Does not close the client. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
            try {
                thread.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("uplink: thread still busy {}s after close; it stops after its current call", JOIN_TIMEOUT.toSeconds());
            }
        }
        progress.close();
    }

    private void run() {
        LOG.info("uplink: device {} starts draining streams {}", options.deviceId(), outbox.streams());
        try {
            synchronizeMarks();
            while (running) {
                if (!sendOneBatch()) {
                    idle();
                }
            }
        } catch (InterruptedException e) {
            LOG.debug("uplink: interrupted by close()");
        } catch (RuntimeException | Error e) {
            LOG.error("uplink: thread died; nothing more will be sent until restart", e);
            throw e;
        }
        LOG.info("uplink: stopped");
    }

    private void synchronizeMarks() throws InterruptedException {
        while (running) {
            try {
                adopt(client.fetchMarks(options.deviceId()));
                succeeded();
                return;
            } catch (UplinkException e) {
                onFailure(e, null);
            } catch (RuntimeException e) {
                onOutboxFailure(e);
            }
        }
    }

    private void adopt(StreamMarks marks) {
        Instant now = Instant.now();
        for (String stream : outbox.streams()) {
            long local = outbox.ackedSeq(stream);
            long center = marks.acked(stream);
            if (center > local) {
                long last = outbox.lastSeq(stream);
                if (center > last) {
                    LOG.error("uplink: stream {}: the center holds up to seq {} but the journal only reaches {}; "
                            + "the journal was reset, and its new events up to seq {} will be taken for duplicates",
                            stream, center, last, center);
                } else {
                    LOG.info("uplink: stream {}: the center already holds up to seq {} (box mark {}); adopting it", stream, center, local);
                }
                outbox.acknowledge(stream, center);
            } else if (center < local) {
                LOG.warn("uplink: stream {}: the center holds only up to seq {} but the box had seq {} acknowledged; resending from {}",
                        stream, center, local, center + 1);
            }
            cursors.put(stream, center);
            progress.reached(stream, center, now);
        }
    }

    /** Sends one batch (or declares one gap) of the first stream with a backlog; false if every stream is drained. */
    private boolean sendOneBatch() throws InterruptedException {
        IngestBatch batch = null;
        try {
            if (declareNextGap()) {
                return true;
            }
            batch = nextBatch();
            if (batch == null) {
                return false;
            }
            long sentAt = System.nanoTime();
            IngestAck ack = client.send(batch, backlogAfter(batch.stream(), batch.toSeq()));
            if (options.adaptiveBatch()) {
                batchSize.acknowledged(batch.size(), Duration.ofNanos(System.nanoTime() - sentAt));
            }
            if (ack.ackedSeq() < batch.toSeq()) {
                throw new UplinkException(UplinkException.Reason.SERVER_ERROR, 200, "the center acknowledged stream "
                        + batch.stream() + " up to " + ack.ackedSeq() + " after accepting " + batch.fromSeq() + ".." + batch.toSeq(), -1, null);
            }
            outbox.acknowledge(batch.stream(), ack.ackedSeq());
            cursors.put(batch.stream(), ack.ackedSeq());
            succeeded();
            Instant now = Instant.now();
            progress.batchAcked(batch.size(), now);
            progress.reached(batch.stream(), ack.ackedSeq(), now);
        } catch (UplinkException e) {
            onFailure(e, batch);
        } catch (RuntimeException e) {
            onOutboxFailure(e);
        }
        return true;
    }

    /**
     * Declares the oldest undeclared gap that the center needs next (it starts at or before the
     * stream's cursor + 1); true if one was declared. A gap at or below the center's mark is
     * recorded there as nothing and only marked declared here.
     */
    private boolean declareNextGap() throws UplinkException, InterruptedException {
        for (String stream : outbox.streams()) {
            long cursor = cursors.computeIfAbsent(stream, outbox::ackedSeq);
            for (WireGap gap : outbox.undeclaredGaps(stream)) {
                if (gap.fromSeq() > cursor + 1) {
                    break;
                }
                IngestAck ack;
                try {
                    ack = client.sendGap(GapDeclaration.of(options.deviceId(), stream, gap));
                } catch (UplinkException e) {
                    if (e.reason() == UplinkException.Reason.GAP) {
                        cursors.put(stream, e.serverAckedSeq().orElse(0));
                    }
                    throw e;
                }
                outbox.acknowledge(stream, ack.ackedSeq());
                outbox.gapDeclared(stream, gap);
                cursors.put(stream, ack.ackedSeq());
                succeeded();
                progress.gapDeclared(gap.count());
                progress.reached(stream, ack.ackedSeq(), Instant.now());
                LOG.warn("uplink: stream {}: declared {} events lost on the box ({}..{}, {}); the center's mark is now {}",
                        stream, gap.count(), gap.fromSeq(), gap.toSeq(), gap.reason(), ack.ackedSeq());
                return true;
            }
        }
        return false;
    }

    private IngestBatch nextBatch() {
        for (String stream : outbox.streams()) {
            long cursor = cursors.computeIfAbsent(stream, outbox::ackedSeq);
            List<WireEvent> events = outbox.after(stream, cursor, batchSize.size());
            if (events.isEmpty()) {
                continue;
            }
            events = contiguousPrefix(events);
            if (events.get(0).seq() != cursor + 1) {
                throw new IllegalStateException("stream " + stream + ": the center needs seq " + (cursor + 1)
                        + " next but the outbox starts at seq " + events.get(0).seq() + "; those events are no longer on the box");
            }
            return IngestBatch.of(options.deviceId(), stream, events);
        }
        return null;
    }

    /** The events up to the first missing seq: a batch never spans a gap the box has yet to declare. */
    private static List<WireEvent> contiguousPrefix(List<WireEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).seq() != events.get(i - 1).seq() + 1) {
                return events.subList(0, i);
            }
        }
        return events;
    }

    private void succeeded() {
        if (backoff.failures() > 0) {
            LOG.info("uplink: the data center answers again after {} failed attempts", backoff.failures());
        }
        if (refused) {
            LOG.info("uplink: the data center accepts device {} again", options.deviceId());
            refused = false;
        }
        backoff.reset();
        progress.healthy();
    }

    private void onFailure(UplinkException e, IngestBatch batch) throws InterruptedException {
        Duration delay = switch (e.reason()) {
            case GAP -> {
                long mark = e.serverAckedSeq().orElse(0);
                if (batch != null) {
                    failureLog.acquire().ifPresent(n -> LOG.warn("uplink: stream {}: the center holds only up to seq {}; resending from {} ({} similar suppressed)",
                            batch.stream(), mark, mark + 1, n));
                    cursors.put(batch.stream(), mark);
                }
                yield backoff.next();
            }
            case THROTTLED -> {
                Duration asked = e.retryAfter();
                Duration wait = asked.isZero() ? backoff.next()
                        : asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
                throttleLog.acquire().ifPresent(n -> LOG.info("uplink: the center rate-limits device {}; resending in {} ms ({} similar suppressed)",
                        options.deviceId(), wait.toMillis(), n));
                yield wait;
            }
            case UNAUTHORIZED, FORBIDDEN -> {
                if (!refused) {
                    LOG.error("uplink: the data center refuses device {}: {}; check the device id and token; retrying every {}",
                            options.deviceId(), e.getMessage(), backoff.max());
                    refused = true;
                }
                yield backoff.max();
            }
            case REJECTED -> {
                if (e.status() == 413 && batchSize.size() > 1) {
                    batchSize.tooLarge();
                    LOG.warn("uplink: the center finds batches too large; now sending at most {} events per batch", batchSize.size());
                    yield Duration.ZERO;
                }
                failureLog.acquire().ifPresent(n -> LOG.error("uplink: the center rejects {}: {} ({} similar suppressed)",
                        batch == null ? "a marks or gap request" : "stream " + batch.stream() + " " + batch.fromSeq() + ".." + batch.toSeq(),
                        e.getMessage(), n));
                yield backoff.next();
            }
            default -> {
                if (batch != null && options.adaptiveBatch()) {
                    batchSize.failed();
                }
                failureLog.acquire().ifPresent(n -> LOG.warn("uplink: {} ({} similar suppressed); retrying with backoff", e.getMessage(), n));
                yield backoff.next();
            }
        };
        progress.failed(e.reason(), e.getMessage(), delay);
        TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    }

    private void onOutboxFailure(RuntimeException e) throws InterruptedException {
        Duration delay = backoff.next();
        progress.outboxFailed("outbox: " + e.getMessage(), delay);
        failureLog.acquire().ifPresent(n -> LOG.error("uplink: the outbox failed ({} similar suppressed)", n, e));
        TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    }

    private void idle() throws InterruptedException {
        long deadline = System.nanoTime() + options.pollInterval().toNanos();
        synchronized (signal) {
            while (!wakeRequested && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            wakeRequested = false;
        }
    }
}
