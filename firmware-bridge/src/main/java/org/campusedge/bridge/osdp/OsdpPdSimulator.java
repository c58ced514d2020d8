package org.campusedge.bridge.osdp;

import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Peripheral devices on a simulated RS-485 bus, for tests and the demo: answers the ACU for one
 * or more addresses like a card reader would — ACK to polls, RAW card data when a card is
 * presented, PDID, PDCAP, LSTATR (tamper, power), COM; ACK to LED, BUZ, OUT and TEXT, which it
 * records; NAK "unknown command" otherwise. A repeated sequence number gets the previous reply
 * again, as the specification requires for retries. It can go silent, answer late, or put
 * garbage on the line. Owns the thread {@code osdp-pd-sim}; the link belongs to the caller.
 */
public final class OsdpPdSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OsdpPdSimulator.class);
    /** PDID from libosdp's unit tests: vendor A1A2A3, model B1, version C1, serial D4D3D2D1, firmware E1.E2.E3. */
    private static final byte[] PDID = HexFormat.of().parseHex("a1a2a3b1c1d1d2d3d4e1e2e3");
    /** PDCAP: card data format (4) compliance 1, reader LED control (5), audible output (8), text output (9). */
    /** The simulated PDs' client UID for the secure channel (vendor, model, version, serial of PDID). */
    private static final byte[] CLIENT_UID = HexFormat.of().parseHex("a1a2a3b1c1d1d2d3");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final byte[] PDCAP = HexFormat.of().parseHex("040101" + "050101" + "080101" + "090101");

    /** One simulated PD. */
    private static final class Pd {
        final Queue<OsdpReplies.RawCard> cards = new ConcurrentLinkedQueue<>();
        volatile boolean tamper;
        volatile boolean powerFailure;
        volatile boolean silent;
        volatile Duration delay = Duration.ZERO;
        int lastSequence = -1;
        byte[] lastReply;
        volatile long lastCardReplyNanos;
        /** Secure channel: this PD's own key, or null. */
        volatile byte[] key;
        /** Secure channel: accepts the default key SCBK-D (provisioning). */
        volatile boolean installMode;
        /** Misbehaviour for tests: answer secure commands in plaintext. */
        volatile boolean downgrade;
        OsdpSecureChannel session;

        boolean secured() {
            return key != null || installMode;
        }
    }

    /** A command the simulator received, for assertions. */
    public record Received(int address, int sequence, OsdpCommand command, byte[] data, long atNanos) {
    }

    private final SerialLink link;
    private final Map<Integer, Pd> pds = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final OsdpDecoder decoder = new OsdpDecoder(this::onPacket);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile byte[] garbageBeforeReply;

    public OsdpPdSimulator(SerialLink link, int... addresses) {
        this.link = link;
        for (int a : addresses) {
            pds.put(a, new Pd());
        }
        this.thread = new Thread(this::run, "osdp-pd-sim");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The PD at {@code address} reports this card (Wiegand format) at its next poll. */
    public void presentCard(int address, int bitCount, byte[] data) {
        pd(address).cards.add(new OsdpReplies.RawCard(0, 1, bitCount, data.clone()));
    }

    public void setTamper(int address, boolean tamper) {
        pd(address).tamper = tamper;
    }

    public void setPowerFailure(int address, boolean failing) {
        pd(address).powerFailure = failing;
    }

    /** Stops answering (a reader unplugged from the bus) or answers again. */
    public void setSilent(int address, boolean silent) {
        pd(address).silent = silent;
    }

    /** Answers only after {@code delay} (beyond the reply timeout, the ACU sees a timeout). */
    public void setReplyDelay(int address, Duration delay) {
        pd(address).delay = delay;
    }

    /** Puts these bytes on the line before every reply (a noisy bus). */
    public void setGarbageBeforeReply(byte[] garbage) {
        this.garbageBeforeReply = garbage == null ? null : garbage.clone();
    }

    /** The PD at {@code address} requires a secure channel with its own key {@code scbk}. */
    public void setKey(int address, byte[] scbk) {
        pd(address).key = scbk.clone();
    }

    /** The PD at {@code address} accepts the default key until it is given its own with KEYSET. */
    public void setInstallMode(int address, boolean installMode) {
        pd(address).installMode = installMode;
    }

    /** The PD's own key, as last set or received with KEYSET. */
    public java.util.Optional<byte[]> key(int address) {
        return java.util.Optional.ofNullable(pd(address).key).map(byte[]::clone);
    }

    /** Misbehave: answer commands in plaintext although a secure channel is up (a downgrade attempt). */
    public void setDowngrade(int address, boolean downgrade) {
        pd(address).downgrade = downgrade;
    }

    /** When the last byte of the PD's latest card reply was handed to the line (System.nanoTime). */
    public long lastCardReplyNanos(int address) {
        return pd(address).lastCardReplyNanos;
    }

    /** Everything received so far. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    private Pd pd(int address) {
        Pd pd = pds.get(address);
        if (pd == null) {
            throw new IllegalArgumentException("no simulated PD at address " + address);
        }
        return pd;
    }

    private void run() {
        byte[] buf = new byte[512];
        while (running) {
            try {
                int n = link.read(buf, Duration.ofMillis(20));
                if (n > 0) {
                    decoder.feed(buf, 0, n);
                }
            } catch (SerialLinkException e) {
                if (running) {
                    LOG.debug("simulator line: {}", e.getMessage());
                    sleep(Duration.ofMillis(20));
                }
            }
        }
    }

    private void onPacket(OsdpPacket p) {
        Pd pd = pds.get(p.address());
        if (p.reply() || pd == null) {
            return;
        }
        OsdpCommand command = OsdpCommand.of(p.code()).orElse(null);
        received.add(new Received(p.address(), p.sequence(), command, p.data(), System.nanoTime()));
        if (pd.silent) {
            return;
        }
        byte[] reply;
        boolean cardReply;
        if (p.sequence() != 0 && p.sequence() == pd.lastSequence && pd.lastReply != null) {
            reply = pd.lastReply;
            cardReply = false;
        } else {
            OsdpPacket answer = respond(pd, p, command);
            cardReply = answer.code() == OsdpReply.RAW.code();
            reply = OsdpEncoder.encode(answer, true);
            pd.lastSequence = p.sequence();
            pd.lastReply = reply;
        }
        if (!pd.delay.isZero()) {
            sleep(pd.delay);
        }
        try {
            byte[] garbage = garbageBeforeReply;
            if (garbage != null) {
                link.write(garbage);
            }
            if (cardReply) {
                // Taken just before the write: the reply then reaches the ACU whole, as its last byte would.
                pd.lastCardReplyNanos = System.nanoTime();
            }
            link.write(reply);
        } catch (SerialLinkException e) {
            LOG.debug("simulator cannot reply: {}", e.getMessage());
        }
    }

    /** Handles the secure channel around {@link #answer}. */
    private OsdpPacket respond(Pd pd, OsdpPacket p, OsdpCommand command) {
        int a = p.address();
        int seq = p.sequence();
        int scb = p.security().map(OsdpPacket.SecurityBlock::type).orElse(-1);
        if (scb == OsdpSecureChannel.SCS_11) {
            byte indicator = p.security().get().data().length > 0 ? p.security().get().data()[0] : 1;
            byte[] k = indicator == 0 ? (pd.installMode ? OsdpSecureChannel.SCBK_DEFAULT : null) : pd.key;
            if (k == null) {
                return nak(a, seq, OsdpNakCode.UNSUPPORTED_SECURITY_BLOCK);
            }
            pd.session = new OsdpSecureChannel(k);
            byte[] ccrypt = pd.session.answerChallenge(p.data(), CLIENT_UID, RANDOM);
            return new OsdpPacket(a, true, seq, true, Optional.of(new OsdpPacket.SecurityBlock(OsdpSecureChannel.SCS_12,
                    new byte[] {indicator})), OsdpReply.CCRYPT.code(), ccrypt, Optional.empty());
        }
        if (scb == OsdpSecureChannel.SCS_13) {
            Optional<byte[]> rmac = pd.session == null ? Optional.empty() : pd.session.answerServerCryptogram(p.data());
            return new OsdpPacket(a, true, seq, true, Optional.of(new OsdpPacket.SecurityBlock(OsdpSecureChannel.SCS_14,
                    new byte[] {(byte) (rmac.isPresent() ? 0x01 : 0xFF)})), OsdpReply.RMAC_I.code(), rmac.orElse(new byte[0]),
                    Optional.empty());
        }
        if (scb == OsdpSecureChannel.SCS_15 || scb == OsdpSecureChannel.SCS_17) {
            OsdpPacket plain;
            try {
                plain = pd.session.open(p);
            } catch (OsdpSecureChannel.SecureChannelException | RuntimeException e) {
                pd.session = null;
                return nak(a, seq, OsdpNakCode.ENCRYPTION_REQUIRED);
            }
            if (command == OsdpCommand.KEYSET) {
                byte[] body = plain.data();
                pd.key = java.util.Arrays.copyOfRange(body, 2, 18);
                pd.installMode = false;
            }
            OsdpPacket answer = answer(pd, plain, command);
            return pd.downgrade ? answer : pd.session.seal(answer);
        }
        if (pd.secured()) {
            return nak(a, seq, OsdpNakCode.ENCRYPTION_REQUIRED);
        }
        return answer(pd, p, command);
    }

    private static OsdpPacket nak(int address, int seq, OsdpNakCode code) {
        return OsdpPacket.reply(address, seq, OsdpReply.NAK, new byte[] {(byte) code.code()});
    }

    private OsdpPacket answer(Pd pd, OsdpPacket p, OsdpCommand command) {
        int a = p.address();
        int seq = p.sequence();
        if (command == null) {
            return OsdpPacket.reply(a, seq, OsdpReply.NAK, new byte[] {(byte) OsdpNakCode.UNKNOWN_COMMAND.code()});
        }
        return switch (command) {
            case POLL -> {
                OsdpReplies.RawCard card = pd.cards.poll();
                if (card == null) {
                    yield OsdpPacket.reply(a, seq, OsdpReply.ACK, new byte[0]);
                }
                byte[] body = new byte[4 + card.data().length];
                body[0] = (byte) card.reader();
                body[1] = (byte) card.format();
                body[2] = (byte) card.bitCount();
                body[3] = (byte) (card.bitCount() >> 8);
                System.arraycopy(card.data(), 0, body, 4, card.data().length);
                yield OsdpPacket.reply(a, seq, OsdpReply.RAW, body);
            }
            case ID -> OsdpPacket.reply(a, seq, OsdpReply.PDID, PDID);
            case CAP -> OsdpPacket.reply(a, seq, OsdpReply.PDCAP, PDCAP);
            case LSTAT -> OsdpPacket.reply(a, seq, OsdpReply.LSTATR, new byte[] {(byte) (pd.tamper ? 1 : 0), (byte) (pd.powerFailure ? 1 : 0)});
            case ISTAT -> OsdpPacket.reply(a, seq, OsdpReply.ISTATR, new byte[] {0, 0});
            case OSTAT -> OsdpPacket.reply(a, seq, OsdpReply.OSTATR, new byte[] {0});
            case COMSET -> OsdpPacket.reply(a, seq, OsdpReply.COM, p.data());
            case LED, BUZ, OUT, TEXT, KEYSET -> OsdpPacket.reply(a, seq, OsdpReply.ACK, new byte[0]);
            default -> OsdpPacket.reply(a, seq, OsdpReply.NAK, new byte[] {(byte) OsdpNakCode.UNKNOWN_COMMAND.code()});
        };
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
