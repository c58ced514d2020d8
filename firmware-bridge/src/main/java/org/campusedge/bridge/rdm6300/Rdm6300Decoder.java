package org.campusedge.bridge.rdm6300;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * RDM6300 decoder. As a stream decoder ({@link #feed}) it takes bytes in any split and emits every
 * valid frame; {@link #decode(byte[])} checks one isolated 14-byte frame.
 *
 * <p>The stream decoder keeps an explicit {@link State}. A frame's 12 characters go into a fixed
 * array, so nothing is ever allocated from what arrives and no input can make it grow. On garbage
 * — a non-hex character, a missing ETX, a new STX inside a frame — it drops what it collected,
 * counts the dropped bytes and a resync, and hunts for the next STX (an STX that interrupts a frame
 * starts the next one). A complete frame whose checksum does not match is dropped and counted.
 *
 * <p>Lower-case hex digits are accepted: the datasheet only shows upper case, but some clone
 * modules send lower case, and a lower-case letter can never be mistaken for STX or ETX, so
 * accepting it cannot hide a framing error.
 *
 * <p>{@link #feed} never throws for any input. An exception thrown by the frame consumer
 * propagates to the caller of {@code feed}; the decoder is already back in {@link State#HUNT}.
 *
 * <p>Not thread-safe: owned by the reader thread that feeds it; counters may be read from there.
 */
public final class Rdm6300Decoder {

    /** Where the stream decoder is within a frame. */
    public enum State {
        /** Looking for STX; everything else is dropped. */
        HUNT,
        /** Collecting the 10 data and 2 checksum characters. */
        BODY,
        /** All 12 characters in; the next byte must be ETX. */
        EXPECT_ETX
    }

    /** ASCII characters between STX and ETX: 10 data + 2 checksum. */
    private static final int BODY_LENGTH = 12;

    private final Consumer<Rdm6300Frame> frames;
    private final int[] nibbles = new int[BODY_LENGTH];
    private State state = State.HUNT;
    private int collected;
    private long frameCount;
    private long checksumErrors;
    private long droppedBytes;
    private long resyncs;

    public Rdm6300Decoder(Consumer<Rdm6300Frame> frames) {
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    /**
     * Checks one complete, isolated frame (no leading or trailing bytes).
     *
     * @throws Rdm6300Exception naming what is wrong
     */
    public static Rdm6300Frame decode(byte[] wire) throws Rdm6300Exception {
        if (wire.length != Rdm6300Frame.WIRE_LENGTH) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.LENGTH,
                    "a frame is " + Rdm6300Frame.WIRE_LENGTH + " bytes, got " + wire.length);
        }
        if (wire[0] != Rdm6300Frame.STX) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.NO_STX,
                    String.format("first byte is 0x%02X, not STX", wire[0]));
        }
        if (wire[13] != Rdm6300Frame.ETX) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.NO_ETX,
                    String.format("last byte is 0x%02X, not ETX", wire[13]));
        }
        int[] body = new int[BODY_LENGTH];
        for (int i = 0; i < BODY_LENGTH; i++) {
            body[i] = hexValue(wire[1 + i]);
            if (body[i] < 0) {
                throw new Rdm6300Exception(Rdm6300Exception.Reason.NOT_HEX,
                        String.format("byte %d is 0x%02X, not an ASCII hex digit", 1 + i, wire[1 + i]));
            }
        }
        Rdm6300Frame frame = frameOf(body);
        int sent = sentChecksum(body);
        if (sent != frame.checksum()) {
            throw new Rdm6300Exception(Rdm6300Exception.Reason.CHECKSUM, String.format(
                    "checksum 0x%02X does not match 0x%02X for %s", sent, frame.checksum(), frame.hexId()));
        }
        return frame;
    }

    /** Feeds {@code bytes[offset..offset+length)}. */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = offset; i < offset + length; i++) {
            feed(bytes[i]);
        }
    }

    /** Feeds one byte. */
    public void feed(byte b) {
        switch (state) {
            case HUNT -> {
                if (b == Rdm6300Frame.STX) {
                    startFrame();
                } else {
                    droppedBytes++;
                }
            }
            case BODY -> {
                int v = hexValue(b);
                if (v < 0) {
                    abandon(b);
                    return;
                }
                nibbles[collected++] = v;
                if (collected == BODY_LENGTH) {
                    state = State.EXPECT_ETX;
                }
            }
            case EXPECT_ETX -> {
                if (b == Rdm6300Frame.ETX) {
                    complete();
                } else {
                    abandon(b);
                }
            }
        }
    }

    private void startFrame() {
        state = State.BODY;
        collected = 0;
    }

    /** Drops the partial frame (its STX and characters); an STX starts the next frame at once. */
    private void abandon(byte b) {
        resyncs++;
        droppedBytes += 1 + collected;
        if (b == Rdm6300Frame.STX) {
            startFrame();
        } else {
            droppedBytes++;
            state = State.HUNT;
        }
    }

    private void complete() {
        state = State.HUNT;
        Rdm6300Frame frame = frameOf(nibbles);
        if (sentChecksum(nibbles) != frame.checksum()) {
            checksumErrors++;
            return;
        }
        frameCount++;
        frames.accept(frame);
    }

    private static Rdm6300Frame frameOf(int[] body) {
        long data = 0;
        for (int i = 0; i < 10; i++) {
            data = (data << 4) | body[i];
        }
        return new Rdm6300Frame((int) (data >>> 32), data & 0xFFFF_FFFFL);
    }

    private static int sentChecksum(int[] body) {
        return (body[10] << 4) | body[11];
    }

    /** The value of an ASCII hex digit (either case), or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    public State state() {
        return state;
    }

    /** Valid frames emitted. */
    public long frames() {
        return frameCount;
    }

    /** Complete frames whose checksum did not match (dropped). */
    public long checksumErrors() {
        return checksumErrors;
    }

    /** Bytes discarded: outside frames, and the bytes of abandoned partial frames. */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Partial frames abandoned because of an unexpected byte. */
    public long resyncs() {
        return resyncs;
    }
}
