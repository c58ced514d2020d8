package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The device side of an RDM6300, for tests and the demo: writes real frames into a serial link
 * (the other end of a pty pair, or an in-process pipe). Like the real module it repeats a held
 * tag's frame every {@link #REPEAT} (the module's measured repetition rate is 50 ms: Hobby
 * Components forum, "RDM6300 125KHz (ID) RFID reader module (HCRFID0006)").
 *
 * <p>Synchronous: {@link #present} blocks its caller for the hold time, so one thread drives a
 * simulator at a time (the demo uses its own scheduler thread). {@link #close()} may be called from
 * any thread and makes a presentation in progress return within a few milliseconds. The link is
 * not owned: the caller opens and closes it.
 */
public final class Rdm6300Simulator implements AutoCloseable {

    /** Interval between repeated frames of a held tag. */
    public static final Duration REPEAT = Duration.ofMillis(50);

    private final SerialLink link;
    private final CountDownLatch closed = new CountDownLatch(1);

    public Rdm6300Simulator(SerialLink link) {
        this.link = Objects.requireNonNull(link, "link");
    }

    /**
     * Holds the tag {@code tenHexDigits} over the antenna for {@code holdFor}: writes its frame,
     * then again every {@link #REPEAT} until {@code holdFor} has passed (at least once).
     *
     * @return the number of frames written (0 if the simulator was closed)
     */
    public int present(String tenHexDigits, Duration holdFor) throws SerialLinkException, InterruptedException {
        byte[] frame = Rdm6300Encoder.encode(Rdm6300Frame.ofHex(tenHexDigits));
        long end = System.nanoTime() + holdFor.toNanos();
        int written = 0;
        while (closed.getCount() > 0) {
            link.write(frame);
            written++;
            if (System.nanoTime() + REPEAT.toNanos() - end > 0) {
                break;
            }
            if (closed.await(REPEAT.toNanos(), TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        return written;
    }

    /** Writes one frame of {@code tenHexDigits} with a corrupted checksum. */
    public void sendCorrupt(String tenHexDigits) throws SerialLinkException {
        Rdm6300Frame f = Rdm6300Frame.ofHex(tenHexDigits);
        link.write(Rdm6300Encoder.encodeWithChecksum(f, f.checksum() ^ 0x5A));
    }

    /** Writes arbitrary bytes, as a noisy line would. */
    public void sendGarbage(byte[] bytes) throws SerialLinkException {
        link.write(bytes);
    }

    /** Stops any presentation in progress and refuses new ones. Idempotent. */
    @Override
    public void close() {
        closed.countDown();
    }
}
