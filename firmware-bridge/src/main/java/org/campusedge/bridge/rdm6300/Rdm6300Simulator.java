package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialLinkException;

import java.time.Duration;

/**
 * The device side of an RDM6300, for tests and the demo: writes real frames into a serial link
 * (the other end of a pty pair, or an in-process pipe). Like the real module it repeats a tag's
 * frame about every {@link #REPEAT} while the tag is held. Calls block for the hold time; one
 * thread drives a simulator at a time. Does not own the link: the caller closes it.
 */
public final class Rdm6300Simulator implements AutoCloseable {

    /** Interval between repeated frames of a held tag. */
    public static final Duration REPEAT = Duration.ofMillis(60);

    private final SerialLink link;
    private volatile boolean closed;

    public Rdm6300Simulator(SerialLink link) {
        this.link = link;
    }

    /** Holds the tag {@code tenHexDigits} over the antenna for {@code holdFor} (at least one frame). */
    public void present(String tenHexDigits, Duration holdFor) throws SerialLinkException, InterruptedException {
        byte[] frame = Rdm6300Codec.encode(Rdm6300Frame.ofHex(tenHexDigits));
        long end = System.nanoTime() + holdFor.toNanos();
        do {
            if (closed) {
                return;
            }
            link.write(frame);
            Thread.sleep(REPEAT.toMillis());
        } while (System.nanoTime() < end);
    }

    /** Writes one frame with a wrong checksum. */
    public void sendCorrupt(String tenHexDigits) throws SerialLinkException {
        Rdm6300Frame f = Rdm6300Frame.ofHex(tenHexDigits);
        link.write(Rdm6300Codec.encode(f, f.checksum() ^ 0x5A));
    }

    /** Writes arbitrary bytes, as a noisy line would. */
    public void sendGarbage(byte[] bytes) throws SerialLinkException {
        link.write(bytes);
    }

    /** Stops any presentation in progress. */
    @Override
    public void close() {
        closed = true;
    }
}
