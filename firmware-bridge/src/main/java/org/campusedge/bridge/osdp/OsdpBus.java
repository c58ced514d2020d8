package org.campusedge.bridge.osdp;

import org.campusedge.bridge.ListenerFailures;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;
import org.campusedge.bridge.serial.SerialReaderLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ACU side of one RS-485 OSDP bus: several peripheral devices by address, polled in turn
 * by the bus thread {@code osdp-<bus>}; the line itself is kept open by a {@link SerialReaderLoop}
 * whose thread decodes replies into a queue. Half duplex: one command is outstanding at a time,
 * the PD must answer within the reply timeout, a retry repeats the same sequence number, and
 * after several silent turns the PD is reported offline. Commands queued for a PD (LED, buzzer,
 * output) go out on its next turn ahead of polling, and the PD whose reply carried a card is
 * served again at once so the door's feedback follows the card without waiting a whole round.
 */
public final class OsdpBus implements AutoCloseable {

    /**
     * Timing of the bus.
     *
     * @param replyTimeout  how long to wait for a reply (the specification allows a PD 200 ms)
     * @param retries       resends of an unanswered command, same sequence number
     * @param offlineAfter  unanswered turns before a PD is reported offline
     * @param pollInterval  pause between rounds of polls when nothing is queued
     * @param mark          send the optional 0xFF mark byte before each packet
     */
    public record Options(Duration replyTimeout, int retries, int offlineAfter, Duration pollInterval, boolean mark) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(200), 1, 3, Duration.ofMillis(50), true);
        }
    }

    /** Line-level counters shared by the PDs of a bus. */
    public record BusCounters(long packets, long checkErrors, long droppedBytes, long resyncs, long reconnects, long strayReplies) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(OsdpBus.class);
    private static final long STATUS_INTERVAL_NANOS = 5_000_000_000L;

    private final String busId;
    private final SerialLink link;
    private final Options options;
    private final Clock clock;
    private final List<OsdpPeripheral> peripherals = new ArrayList<>();
    private final BlockingQueue<OsdpPacket> replies = new LinkedBlockingQueue<>(64);
    private final OsdpDecoder decoder = new OsdpDecoder(this::received);
    private final SerialReaderLoop line;
    private final ListenerFailures listenerFailures;
    private final Thread thread;
    private final OsdpHandshake handshake;
    private volatile long strayReplies;
    private volatile boolean running;
    private volatile boolean started;

    public OsdpBus(String busId, SerialLink link, Options options, Clock clock) {
        this.busId = busId;
        this.link = link;
        this.options = options;
        this.clock = clock;
        this.listenerFailures = new ListenerFailures(LOG, "osdp bus " + busId);
        this.line = new SerialReaderLoop("osdp-line-" + busId, link, (bytes, n) -> decoder.feed(bytes, 0, n),
                this::lineStatus, SerialReaderLoop.Backoff.defaults(), clock);
        this.handshake = new OsdpHandshake(this, new java.security.SecureRandom());
        this.thread = new Thread(this::run, "osdp-" + busId);
        this.thread.setDaemon(true);
    }

    /** Adds a PD at {@code address}; its card reads and status go to {@code listener} on the bus thread. */
    public synchronized OsdpPeripheral add(String readerId, int address, ReaderListener listener) {
        return add(readerId, address, listener, Optional.empty());
    }

    /** Adds a PD that talks only over a secure channel when {@code security} is present. */
    public synchronized OsdpPeripheral add(String readerId, int address, ReaderListener listener,
                                           Optional<OsdpSecurity> security) {
        if (started) {
            throw new IllegalStateException("add PDs before starting the bus");
        }
        if (peripherals.stream().anyMatch(p -> p.address() == address)) {
            throw new IllegalArgumentException("address " + address + " is already on bus " + busId);
        }
        OsdpPeripheral pd = new OsdpPeripheral(readerId, address, this, listener, security);
        peripherals.add(pd);
        return pd;
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        running = true;
        line.start();
        thread.start();
    }

    void wakeUp() {
        LockSupport.unpark(thread);
    }

    /** Runs on the line's reader thread. */
    private void received(OsdpPacket p) {
        if (!p.reply() || !replies.offer(p)) {
            strayReplies++;
        }
    }

    private void lineStatus(ReaderStatus status) {
        if (status.state() == ReaderStatus.State.OFFLINE && running) {
            LOG.warn("osdp bus {}: line down: {}", busId, status.detail());
        }
    }

    private void run() {
        while (running) {
            boolean any = false;
            for (OsdpPeripheral pd : peripherals) {
                if (!running) {
                    break;
                }
                any |= serve(pd);
            }
            if (!any) {
                LockSupport.parkNanos(options.pollInterval().toNanos());
            }
        }
    }

    /** One turn of a PD: queued commands first, else a poll. Returns whether anything was exchanged. */
    private boolean serve(OsdpPeripheral pd) {
        if (!line.online()) {
            if (pd.online) {
                markOffline(pd, link.name() + ": line down");
            }
            return false;
        }
        if (pd.security.isPresent() && !pd.secure()) {
            // A secure PD is never polled in plaintext: no secure channel, no traffic but the handshake.
            if (System.nanoTime() - pd.nextHandshakeNanos < 0) {
                return false;
            }
            handshake.establish(pd);
            return true;
        }
        OsdpPeripheral.Pending next = pd.queue.poll();
        if (next != null) {
            exchange(pd, next.command(), next.data());
        } else if (System.nanoTime() - pd.nextStatusNanos >= 0) {
            // Ask for tamper and power status now and then; PDs also volunteer it when it changes.
            pd.nextStatusNanos = System.nanoTime() + STATUS_INTERVAL_NANOS;
            exchange(pd, OsdpCommand.LSTAT, new byte[0]);
        } else {
            exchange(pd, OsdpCommand.POLL, new byte[0]);
        }
        // Feedback for a card just read was queued by the listener on this thread: send it now,
        // before the other PDs' turns, so the door answers without waiting a round.
        while ((next = pd.queue.poll()) != null) {
            exchange(pd, next.command(), next.data());
        }
        return true;
    }

    /** Sends one command and handles its reply. Returns whether the PD answered. */
    private boolean exchange(OsdpPeripheral pd, OsdpCommand command, byte[] data) {
        Optional<OsdpPacket> reply = transact(pd, command.code(), data, Optional.empty());
        reply.ifPresent(r -> OsdpReplyHandler.handle(pd, r, clock, listenerFailures));
        return reply.isPresent();
    }

    /**
     * One command and its reply, with retries that repeat the sequence number. On an established
     * secure channel the command is sealed and the reply opened (a failure ends the session);
     * handshake steps carry their own security block and go out as they are.
     */
    Optional<OsdpPacket> transact(OsdpPeripheral pd, int code, byte[] data, Optional<OsdpPacket.SecurityBlock> handshakeBlock) {
        int seq = pd.nextSequence();
        OsdpPacket plain = new OsdpPacket(pd.address(), false, seq, true, handshakeBlock, code, data, Optional.empty());
        boolean sealed = handshakeBlock.isEmpty() && pd.secure();
        byte[] wire = OsdpEncoder.encode(sealed ? pd.session.seal(plain) : plain, options.mark());
        for (int attempt = 0; attempt <= options.retries(); attempt++) {
            replies.clear();
            try {
                link.write(wire);
            } catch (SerialLinkException e) {
                return Optional.empty();
            }
            Optional<OsdpPacket> reply = await(pd.address(), seq);
            if (reply.isPresent()) {
                pd.sequence = seq;
                pd.consecutiveTimeouts = 0;
                pd.replies.incrementAndGet();
                if (!pd.online) {
                    markOnline(pd);
                }
                return sealed ? open(pd, reply.get()) : reply;
            }
        }
        pd.timeouts.incrementAndGet();
        if (++pd.consecutiveTimeouts >= options.offlineAfter() && pd.online) {
            markOffline(pd, "address " + pd.address() + " silent for " + pd.consecutiveTimeouts + " turns");
        }
        return Optional.empty();
    }

    private Optional<OsdpPacket> open(OsdpPeripheral pd, OsdpPacket reply) {
        try {
            return Optional.of(pd.session.open(reply));
        } catch (OsdpSecureChannel.SecureChannelException e) {
            pd.secureFailures.incrementAndGet();
            pd.session.reset();
            LOG.warn("osdp bus {}: PD {}: secure channel closed: {}", busId, pd.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<OsdpPacket> await(int address, int seq) {
        long deadline = System.nanoTime() + options.replyTimeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            OsdpPacket p;
            try {
                p = left > 0 ? replies.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return Optional.empty();
            }
            if (p == null) {
                return Optional.empty();
            }
            if (p.address() != address) {
                strayReplies++;
            } else if (p.sequence() != seq) {
                peripheral(address).ifPresent(pd -> pd.sequenceErrors.incrementAndGet());
            } else {
                return Optional.of(p);
            }
        }
    }

    private Optional<OsdpPeripheral> peripheral(int address) {
        return peripherals.stream().filter(p -> p.address() == address).findFirst();
    }

    private void markOnline(OsdpPeripheral pd) {
        pd.online = true;
        // Ask who it is and what it can do, for the log and the health page.
        pd.queue.add(new OsdpPeripheral.Pending(OsdpCommand.ID, OsdpCommands.idRequest()));
        pd.queue.add(new OsdpPeripheral.Pending(OsdpCommand.CAP, OsdpCommands.idRequest()));
        LOG.info("osdp bus {}: PD {} (address {}) online", busId, pd.id(), pd.address());
        notifyStatus(pd, ReaderStatus.State.ONLINE, link.name() + " address " + pd.address() + " answering");
    }

    private void markOffline(OsdpPeripheral pd, String detail) {
        pd.online = false;
        pd.sequence = -1;
        LOG.warn("osdp bus {}: PD {} offline: {}", busId, pd.id(), detail);
        notifyStatus(pd, ReaderStatus.State.OFFLINE, detail);
    }

    private void notifyStatus(OsdpPeripheral pd, ReaderStatus.State state, String detail) {
        try {
            pd.listener.onStatus(new ReaderStatus(pd.id(), state, detail, clock.instant()));
        } catch (RuntimeException e) {
            listenerFailures.record("status listener", e);
        }
    }

    BusCounters busCounters() {
        return new BusCounters(decoder.packets(), decoder.checkErrors(), decoder.droppedBytes(), decoder.resyncs(),
                line.reconnects(), strayReplies);
    }

    public String id() {
        return busId;
    }

    /** Stops the bus thread and the line. Idempotent. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        line.close();
        if (thread.isAlive()) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean threadAlive() {
        return thread.isAlive();
    }
}
