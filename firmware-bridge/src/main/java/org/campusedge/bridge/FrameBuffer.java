package org.campusedge.bridge;

/**
 * The byte buffer under a streaming decoder that must look at a whole candidate frame before it
 * can judge it: allocated once at a fixed capacity, filled from what arrives, and consumed from
 * the front — either as a frame, or dropped as garbage. Dropped bytes are counted except the
 * protocol's filler byte (OSDP's 0xFF mark, PN532's 0x00 preamble), which is expected between
 * frames. Decoders read the bytes in place through {@link #array()}.
 *
 * <p>Not thread-safe: owned by the decoder's thread.
 */
public final class FrameBuffer {

    private final byte[] bytes;
    private final byte filler;
    private int size;
    private long droppedBytes;

    public FrameBuffer(int capacity, byte filler) {
        this.bytes = new byte[capacity];
        this.filler = filler;
    }

    /**
     * Appends {@code src[offset..offset+length)} in chunks that fit, running {@code parse} after each
     * chunk so it consumes what it can and makes room for the next.
     */
    public void feed(byte[] src, int offset, int length, Runnable parse) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int n = Math.min(end - i, bytes.length - size);
            System.arraycopy(src, i, bytes, size, n);
            size += n;
            i += n;
            parse.run();
        }
    }

    /** The buffered bytes are {@code array()[0..size())}; read only. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Removes the first {@code n} bytes as garbage, counting all but filler bytes as dropped. */
    public void drop(int n) {
        for (int i = 0; i < n; i++) {
            if (bytes[i] != filler) {
                droppedBytes++;
            }
        }
        consume(n);
    }

    /** Removes the first {@code n} bytes, a frame that was delivered. */
    public void consume(int n) {
        System.arraycopy(bytes, n, bytes, 0, size - n);
        size -= n;
    }

    /** Bytes dropped as garbage (filler bytes not counted). */
    public long droppedBytes() {
        return droppedBytes;
    }
}
