package org.campusedge.bridge.rdm6300;

import java.util.function.Consumer;

/**
 * Streaming RDM6300 decoder: feed it bytes in any split, it emits every valid frame. State is
 * explicit ({@link State}); a frame's 12 characters go into a fixed buffer, so nothing is ever
 * allocated from what arrives. On garbage — a non-hex character, a missing ETX, a new STX in the
 * middle of a frame — it drops what it collected, counts the dropped bytes and a resync, and
 * hunts for the next STX. Lower-case hex digits are accepted (some clones send them).
 *
 * <p>Not thread-safe: owned by the reader thread that feeds it.
 */
public final class Rdm6300Decoder {

    /** Where the decoder is within a frame. */
    public enum State {
        /** Looking for STX. */
        HUNT,
        /** Collecting the 10 data and 2 checksum characters. */
        BODY,
        /** All characters in; the next byte must be ETX. */
        EXPECT_ETX
    }

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
        this.frames = frames;
    }

    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            feed(bytes[i]);
        }
    }

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
                int v = Rdm6300Codec.hexValue(b);
                if (v >= 0) {
                    nibbles[collected++] = v;
                    if (collected == BODY_LENGTH) {
                        state = State.EXPECT_ETX;
                    }
                } else {
                    abandon(b);
                }
            }
            case EXPECT_ETX -> {
                if (b == Rdm6300Frame.ETX) {
                    complete();
                } else {
                    abandon(b);
                }
            }
            default -> throw new IllegalStateException("unknown state " + state);
        }
    }

    private void startFrame() {
        state = State.BODY;
        collected = 0;
    }

    /** Drops the partial frame (its STX and characters); a new STX starts the next frame at once. */
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
        Rdm6300Frame frame;
        try {
            frame = Rdm6300Codec.fromNibbles(nibbles);
        } catch (Rdm6300Exception e) {
            checksumErrors++;
            return;
        }
        frameCount++;
        frames.accept(frame);
    }

    public State state() {
        return state;
    }

    /** Valid frames emitted. */
    public long frames() {
        return frameCount;
    }

    /** Well-formed frames whose checksum did not match. */
    public long checksumErrors() {
        return checksumErrors;
    }

    /** Bytes discarded outside or from abandoned frames. */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Partial frames abandoned because of an unexpected byte. */
    public long resyncs() {
        return resyncs;
    }
}
