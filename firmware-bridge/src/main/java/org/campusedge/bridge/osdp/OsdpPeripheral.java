package org.campusedge.bridge.osdp;

import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.ReaderListener;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peripheral device on an {@link OsdpBus}: its address, the sequence number of the
 * conversation, online state, queued commands and counters. Sequence and online state belong
 * to the bus thread; the command queue and counters are safe from any thread.
 */
public final class OsdpPeripheral implements CardReader {

    /** A command waiting for the PD's next turn on the bus. */
    record Pending(OsdpCommand command, byte[] data) {
    }

    private final String id;
    private final int address;
    private final OsdpBus bus;
    final ReaderListener listener;
    final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    final AtomicLong replies = new AtomicLong();
    final AtomicLong cardReads = new AtomicLong();
    /** Card data that failed its parity check. */
    final AtomicLong cardErrors = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong naks = new AtomicLong();
    final AtomicLong sequenceErrors = new AtomicLong();
    final AtomicLong busy = new AtomicLong();
    /** Bus thread only: the last sequence number answered, -1 to (re)start the conversation with 0. */
    int sequence = -1;
    /** Bus thread only. */
    int consecutiveTimeouts;
    volatile boolean online;
    /** How to secure this PD; empty for a plaintext PD. */
    final java.util.Optional<OsdpSecurity> security;
    /** Bus thread only: the current session, if any. */
    OsdpSecureChannel session;
    /** Bus thread only: the PD accepted its own key via KEYSET during this run. */
    boolean keyInstalled;
    final AtomicLong secureFailures = new AtomicLong();
    /** Bus thread only: no handshake before this System.nanoTime(), after a failed one. */
    long nextHandshakeNanos;
    /** Bus thread only: the last handshake failed (its reason was logged once). */
    boolean handshakeFailing;
    /** Bus thread only: when to ask for local status (tamper, power) next. */
    long nextStatusNanos;
    /** Bus thread only, install mode: whether the next handshake tries the default key. */
    boolean tryDefaultKey = true;
    volatile boolean tamper;
    volatile OsdpReplies.PdId identity;
    volatile boolean powerFailure;

    OsdpPeripheral(String id, int address, OsdpBus bus, ReaderListener listener, java.util.Optional<OsdpSecurity> security) {
        if (address < 0 || address > 0x7E) {
            throw new IllegalArgumentException("OSDP address must be 0..0x7E, got " + address);
        }
        this.id = id;
        this.address = address;
        this.bus = bus;
        this.listener = listener;
        this.security = security;
    }

    /** Whether traffic to this PD goes through an established secure channel. */
    public boolean secure() {
        OsdpSecureChannel s = session;
        return s != null && s.established();
    }

    /** Handshakes and secure messages that failed (wrong key, bad MAC, refused downgrade). */
    public long secureFailures() {
        return secureFailures.get();
    }

    @Override
    public String id() {
        return id;
    }

    public int address() {
        return address;
    }

    /** Queues a command for this PD's next turn; the bus sends it ahead of polling. */
    public void send(OsdpCommand command, byte[] data) {
        queue.add(new Pending(command, data.clone()));
        bus.wakeUp();
    }

    /** The next sequence number: 0 to (re)start, then 1, 2, 3, 1, … (SIA OSDP v2.2, message sequence numbers). */
    int nextSequence() {
        return sequence < 0 ? 0 : sequence % 3 + 1;
    }

    public boolean online() {
        return online;
    }

    /** What the PD said about itself (osdp_PDID) when it last came online. */
    public java.util.Optional<OsdpReplies.PdId> identity() {
        return java.util.Optional.ofNullable(identity);
    }

    public boolean tamper() {
        return tamper;
    }

    public long timeouts() {
        return timeouts.get();
    }

    public long naks() {
        return naks.get();
    }

    public long sequenceErrors() {
        return sequenceErrors.get();
    }

    /** Starts the bus this PD is on (idempotent). */
    @Override
    public void start() {
        bus.start();
    }

    @Override
    public ReaderCounters counters() {
        OsdpBus.BusCounters b = bus.busCounters();
        return new ReaderCounters(replies.get(), cardReads.get(), 0, b.checkErrors() + cardErrors.get(), b.droppedBytes(),
                b.resyncs(), b.reconnects(), online, timeouts.get(), naks.get());
    }

    /** Closing one PD closes its bus: the PDs on a bus share one line and one thread. */
    @Override
    public void close() {
        bus.close();
    }
}
