package org.campusedge.bridge.pn532;

import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device side of a PN532 in HSU mode, for tests and the demo: reads host frames from a serial
 * link (the other end of a pty pair, or an in-process pipe's device end) and answers each command
 * as UM0701-02 §6.2.2 describes, with an ACK and then the response: GetFirmwareVersion (PN532,
 * firmware 1.6: {@code 32 01 06 07}), SAMConfiguration, RFConfiguration, InListPassiveTarget
 * (NbTg 0, or NbTg 1 and the presented card's target data) and InRelease; other commands get the
 * syntax-error frame. It can be told to present or remove a card, to go silent, to reply late, to
 * corrupt the checksum of its next responses and to put garbage on the line.
 *
 * <p>Threads: one thread named {@code pn532-sim-<name>} reads the link and writes the answers; the
 * controls may be called from any thread. The link is not owned: the caller opens and closes it.
 * The thread ends on {@link #close()} or when the link fails (an unplugged device answers nothing).
 */
public final class Pn532Simulator implements AutoCloseable {

    /** GetFirmwareVersion data: IC 32 (PN532), Ver 1, Rev 6, Support 07 (UM0701-02 §7.2.2). */
    public static final byte[] FIRMWARE = {0x32, 0x01, 0x06, 0x07};
    private static final Duration READ_TIMEOUT = Duration.ofMillis(20);
    private static final Logger LOG = LoggerFactory.getLogger(Pn532Simulator.class);

    private final SerialLink link;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Pn532Decoder decoder = new Pn532Decoder(this::onFrame);
    private final AtomicReference<Pn532Target> card = new AtomicReference<>();
    private final AtomicReference<Duration> replyDelay = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<byte[]> garbage = new AtomicReference<>(new byte[0]);
    private final AtomicInteger corruptReplies = new AtomicInteger();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong wakeUps = new AtomicLong();
    private volatile boolean silent;
    /** Simulator thread only: whether the last byte read was 0x55, to spot 55 55. */
    private boolean after55;

    /** @param name names the thread {@code pn532-sim-<name>} */
    public Pn532Simulator(String name, SerialLink link) {
        this.link = Objects.requireNonNull(link, "link");
        this.thread = new Thread(this::run, "pn532-sim-" + Objects.requireNonNull(name, "name"));
        this.thread.setDaemon(true);
    }

    /** Starts answering; the link must be open. */
    public void start() {
        thread.start();
    }

    /** Puts a card with {@code uidHex} (8 or 14 hex digits) on the antenna, as MIFARE Classic 1K or Ultralight. */
    public void present(String uidHex) {
        byte[] uid = HexFormat.of().parseHex(uidHex);
        // SENS_RES 00 04 / SAK 08: MIFARE Classic 1K; 00 44 / 00: MIFARE Ultralight (double-size UID).
        present(uid.length == 4 ? Pn532Target.of(1, 0x0004, 0x08, uid) : Pn532Target.of(1, 0x0044, 0x00, uid));
    }

    /** Puts {@code target} on the antenna. */
    public void present(Pn532Target target) {
        card.set(Objects.requireNonNull(target, "target"));
    }

    /** Takes the card away: polls answer NbTg 0. */
    public void remove() {
        card.set(null);
    }

    /** Silent: commands are read and ignored, as from a PN532 that is asleep or unpowered. */
    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    /** Waits {@code delay} before answering each command. */
    public void setReplyDelay(Duration delay) {
        replyDelay.set(Objects.requireNonNull(delay, "delay"));
    }

    /** The next {@code n} responses go out with a wrong DCS (their ACKs stay good). */
    public void corruptNextReplies(int n) {
        corruptReplies.set(n);
    }

    /** Writes {@code bytes} on the line just before the next answer. */
    public void sendGarbageBeforeNextReply(byte[] bytes) {
        garbage.set(bytes.clone());
    }

    /** Host frames received. */
    public long commands() {
        return commands.get();
    }

    /** InListPassiveTarget commands received. */
    public long polls() {
        return polls.get();
    }

    /** HSU wake-up preambles ({@code 55 55}) received. */
    public long wakeUps() {
        return wakeUps.get();
    }

    /** Whether the simulator thread is running. */
    public boolean threadAlive() {
        return thread.isAlive();
    }

    private void run() {
        byte[] buffer = new byte[256];
        try {
            while (stop.getCount() > 0) {
                int n = link.read(buffer, READ_TIMEOUT);
                for (int i = 0; i < n; i++) {
                    boolean is55 = buffer[i] == 0x55;
                    if (is55 && after55) {
                        wakeUps.incrementAndGet();
                    }
                    after55 = is55 && !after55;
                }
                decoder.feed(buffer, 0, n);
            }
        } catch (SerialLinkException e) {
            LOG.info("PN532 simulator on {}: link failed, stopping: {}", link.name(), e.getMessage());
        } catch (UncheckedSerialException e) {
            LOG.info("PN532 simulator on {}: write failed, stopping: {}", link.name(), e.getCause().getMessage());
        }
    }

    /** Simulator thread, from inside {@link Pn532Decoder#feed}. */
    private void onFrame(Pn532Frame frame) {
        if (!(frame instanceof Pn532Frame.Information command) || command.direction() != Pn532Frame.Direction.HOST_TO_PN532) {
            return;
        }
        commands.incrementAndGet();
        if (command.code() == Pn532Command.IN_LIST_PASSIVE_TARGET.code()) {
            polls.incrementAndGet();
        }
        if (silent) {
            return;
        }
        try {
            if (stop.await(replyDelay.get().toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
            byte[] noise = garbage.getAndSet(new byte[0]);
            if (noise.length > 0) {
                link.write(noise);
            }
            link.write(Pn532Encoder.encode(new Pn532Frame.Ack()));
            byte[] reply = Pn532Encoder.encode(answer(command));
            if (corruptReplies.getAndUpdate(c -> Math.max(0, c - 1)) > 0) {
                reply[reply.length - 2] ^= 0x5A;
            }
            link.write(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        } catch (SerialLinkException e) {
            throw new UncheckedSerialException(e);
        }
    }

    private Pn532Frame answer(Pn532Frame.Information command) {
        Pn532Command known = Pn532Command.ofCode(command.code()).orElse(null);
        if (known == null) {
            return new Pn532Frame.ErrorFrame();
        }
        return switch (known) {
            case GET_FIRMWARE_VERSION -> Pn532Frame.Information.response(known, FIRMWARE);
            case IN_LIST_PASSIVE_TARGET -> {
                Pn532Target target = card.get();
                yield Pn532Frame.Information.response(known, target == null ? new byte[] {0} : target.toListResponse());
            }
            // §7.3.11: Status 00, no error.
            case IN_RELEASE -> Pn532Frame.Information.response(known, (byte) 0x00);
            case SAM_CONFIGURATION, RF_CONFIGURATION -> Pn532Frame.Information.response(known);
        };
    }

    /** Carries a write failure out of the decoder callback to {@link #run()}. */
    private static final class UncheckedSerialException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSerialException(SerialLinkException cause) {
            super(cause);
        }
    }

    /** Stops the simulator thread and waits for it. Idempotent; does not close the link. */
    @Override
    public void close() {
        stop.countDown();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
