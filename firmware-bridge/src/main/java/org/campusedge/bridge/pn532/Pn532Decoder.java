package org.campusedge.bridge.pn532;

import org.campusedge.bridge.FrameBuffer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * PN532 frame decoder. As a stream decoder ({@link #feed}) it takes bytes in any split and emits
 * every valid frame; {@link #decode(byte[])} checks one isolated frame.
 *
 * <p>The stream decoder keeps an explicit {@link State} over a fixed buffer allocated once (twice
 * the largest frame accepted); LEN is checked against the maximum before the decoder waits for a
 * body, and nothing is allocated from it. Missing bytes are not an error. A candidate whose LCS or
 * DCS does not match, whose LEN is out of range or whose postamble or TFI is wrong is rejected by
 * dropping only its start code; the bytes after it are scanned again for the next {@code 00 FF}, so
 * a real frame that began inside garbage is still found. Zero bytes outside frames are preamble,
 * postamble or idle line and are not counted as dropped; every other byte discarded is.
 *
 * <p>{@link #feed} never throws for any input. An exception thrown by the frame consumer propagates
 * to the caller of {@code feed}; the frame was already removed from the buffer.
 *
 * <p>Not thread-safe: owned by the thread that feeds it (a reader's or a simulator's).
 */
public final class Pn532Decoder {

    /** Where the stream decoder is. */
    public enum State {
        /** No start code in the buffer; looking for {@code 00 FF}. */
        HUNT,
        /** A start code is buffered; waiting for the rest of the candidate frame. */
        FRAME
    }

    /** Bytes of the largest frame: extended header (7) + LEN + DCS + postamble. */
    private static final int OVERHEAD = 9;

    private final int maxLen;
    private final Consumer<Pn532Frame> frames;
    private final FrameBuffer frame;
    /** The frame buffer's bytes, read in place. */
    private final byte[] buffer;
    private State state = State.HUNT;
    private long frameCount;
    private long checksumErrors;
    private long lengthErrors;
    private long malformed;
    private long resyncs;

    /** A decoder accepting frames up to {@link Pn532Frame#MAX_LEN}. */
    public Pn532Decoder(Consumer<Pn532Frame> frames) {
        this(Pn532Frame.MAX_LEN, frames);
    }

    /** @param maxLen largest LEN accepted, 2..{@link Pn532Frame#MAX_LEN} */
    public Pn532Decoder(int maxLen, Consumer<Pn532Frame> frames) {
        if (maxLen < 2 || maxLen > Pn532Frame.MAX_LEN) {
            throw new IllegalArgumentException("maxLen must be within 2.." + Pn532Frame.MAX_LEN + ", got " + maxLen);
        }
        this.maxLen = maxLen;
        this.frames = Objects.requireNonNull(frames, "frames");
        this.frame = new FrameBuffer(2 * (maxLen + OVERHEAD), (byte) 0x00);
        this.buffer = frame.array();
    }

    /**
     * Checks one complete, isolated frame: an optional {@code 00} preamble, the start code, the frame
     * and its postamble, nothing after.
     *
     * @throws Pn532Exception naming what is wrong
     */
    public static Pn532Frame decode(byte[] wire) throws Pn532Exception {
        int start = wire.length > 0 && wire[0] == 0 && wire.length > 1 && wire[1] == 0 ? 1 : 0;
        if (wire.length - start < 2) {
            throw new Pn532Exception(Pn532Exception.Reason.TRUNCATED, "a frame is at least 6 bytes, got " + wire.length);
        }
        if (wire[start] != 0 || wire[start + 1] != (byte) 0xFF) {
            throw new Pn532Exception(Pn532Exception.Reason.NO_START_CODE,
                    String.format("frame starts %02X %02X, not 00 FF", wire[start], wire[start + 1]));
        }
        byte[] body = Arrays.copyOfRange(wire, start, wire.length);
        Pn532FrameParser.Result r = Pn532FrameParser.check(body, body.length, Pn532Frame.MAX_LEN);
        if (r instanceof Pn532FrameParser.Rejected x) {
            throw new Pn532Exception(x.reason(), x.message());
        }
        if (!(r instanceof Pn532FrameParser.Parsed p)) {
            throw new Pn532Exception(Pn532Exception.Reason.TRUNCATED, "frame ends early after " + wire.length + " bytes");
        }
        if (p.wireLength() != body.length) {
            throw new Pn532Exception(Pn532Exception.Reason.TRAILING_BYTES,
                    (body.length - p.wireLength()) + " bytes after the postamble");
        }
        return p.frame();
    }

    /** Feeds {@code bytes[offset..offset+length)}. */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        frame.feed(bytes, offset, length, this::parse);
    }

    /** Feeds one byte. */
    public void feed(byte b) {
        feed(new byte[] {b}, 0, 1);
    }

    private void parse() {
        while (true) {
            int start = findStartCode();
            if (start < 0) {
                // Keep a trailing 00: it may be the first half of a start code.
                int keep = frame.size() > 0 && buffer[frame.size() - 1] == 0 ? 1 : 0;
                frame.drop(frame.size() - keep);
                state = State.HUNT;
                return;
            }
            frame.drop(start);
            state = State.FRAME;
            Pn532FrameParser.Result r = Pn532FrameParser.check(buffer, frame.size(), maxLen);
            if (r instanceof Pn532FrameParser.Rejected x) {
                reject(x.reason());
            } else if (r instanceof Pn532FrameParser.Parsed p) {
                this.frame.consume(p.wireLength());
                state = State.HUNT;
                frameCount++;
                frames.accept(p.frame());
            } else {
                return;
            }
        }
    }

    /** Index of the first {@code 00 FF} in the buffer, or -1. */
    private int findStartCode() {
        for (int i = 0; i + 1 < frame.size(); i++) {
            if (buffer[i] == 0 && buffer[i + 1] == (byte) 0xFF) {
                return i;
            }
        }
        return -1;
    }

    private void reject(Pn532Exception.Reason reason) {
        switch (reason) {
            case LENGTH_CHECKSUM, DATA_CHECKSUM -> checksumErrors++;
            case LENGTH_OUT_OF_RANGE -> lengthErrors++;
            default -> malformed++;
        }
        resyncs++;
        // Drop the start code only (its FF counts as dropped); rescan what follows it.
        frame.drop(2);
    }

    public State state() {
        return state;
    }

    /** Valid frames emitted (information, ACK, NACK and error frames). */
    public long frames() {
        return frameCount;
    }

    /** Candidates whose LCS or DCS did not match. */
    public long checksumErrors() {
        return checksumErrors;
    }

    /** Candidates whose LEN was 0, or above the maximum, or 1 without the error TFI. */
    public long lengthErrors() {
        return lengthErrors;
    }

    /** Candidates with a bad postamble or TFI. */
    public long malformed() {
        return malformed;
    }

    /** Non-zero bytes discarded: garbage between frames and the start codes of rejected candidates. */
    public long droppedBytes() {
        return frame.droppedBytes();
    }

    /** Candidates rejected, after each of which the decoder hunted for the next start code. */
    public long resyncs() {
        return resyncs;
    }

    /** Bytes buffered towards a frame not yet complete. */
    public int pending() {
        return frame.size();
    }
}
