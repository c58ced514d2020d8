package org.campusedge.bridge.osdp;

import org.campusedge.bridge.FrameBuffer;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Streaming OSDP decoder for one RS-485 bus. Bytes go into a fixed buffer allocated once
 * (twice the largest packet accepted); nothing is ever allocated from a length field. Missing
 * bytes are not an error: the decoder waits for them. A candidate packet whose length is out of
 * range, whose check characters do not match or whose structure is inconsistent is not skipped
 * whole — only its SOM byte is dropped and the rest is scanned again for the next SOM, so a
 * real packet that started inside garbage is still found. 0xFF mark bytes between packets are
 * expected and not counted as dropped.
 *
 * <p>Not thread-safe: owned by the bus's reader thread.
 */
public final class OsdpDecoder {

    /** Largest packet accepted by default; readers' receive buffers are typically far smaller. */
    public static final int DEFAULT_MAX_PACKET = 1024;
    private static final int MIN_PACKET = OsdpPacket.HEADER_LENGTH + 1 + 1;

    private final int maxPacket;
    private final Consumer<OsdpPacket> packets;
    private final FrameBuffer frame;
    /** The frame buffer's bytes, read in place. */
    private final byte[] buffer;
    private long packetCount;
    private long checkErrors;
    private long badLengths;
    private long malformed;
    private long resyncs;

    public OsdpDecoder(Consumer<OsdpPacket> packets) {
        this(DEFAULT_MAX_PACKET, packets);
    }

    public OsdpDecoder(int maxPacket, Consumer<OsdpPacket> packets) {
        if (maxPacket < 16 || maxPacket > 65_535) {
            throw new IllegalArgumentException("maxPacket must be within 16..65535, got " + maxPacket);
        }
        this.maxPacket = maxPacket;
        this.packets = packets;
        this.frame = new FrameBuffer(2 * maxPacket, (byte) OsdpPacket.MARK);
        this.buffer = frame.array();
    }

    public void feed(byte[] bytes, int offset, int length) {
        frame.feed(bytes, offset, length, this::parse);
    }

    public void feed(byte b) {
        feed(new byte[] {b}, 0, 1);
    }

    private void parse() {
        while (true) {
            int som = findSom();
            if (som < 0) {
                return;
            }
            frame.drop(som);
            if (frame.size() < OsdpPacket.HEADER_LENGTH) {
                return;
            }
            int len = (buffer[2] & 0xFF) | (buffer[3] & 0xFF) << 8;
            boolean crc = (buffer[4] & 0x04) != 0;
            if (len < MIN_PACKET + (crc ? 1 : 0) || len > maxPacket) {
                badLengths++;
                rejectCandidate();
                continue;
            }
            if (frame.size() < len) {
                return;
            }
            if (!checkMatches(len, crc)) {
                checkErrors++;
                rejectCandidate();
                continue;
            }
            Optional<OsdpPacket> packet = structure(len, crc);
            if (packet.isEmpty()) {
                malformed++;
                rejectCandidate();
                continue;
            }
            frame.consume(len);
            packetCount++;
            packets.accept(packet.get());
        }
    }

    /** Index of the first SOM in the buffer, dropping everything before it if none; -1 when none. */
    private int findSom() {
        for (int i = 0; i < frame.size(); i++) {
            if ((buffer[i] & 0xFF) == OsdpPacket.SOM) {
                return i;
            }
        }
        frame.drop(frame.size());
        return -1;
    }

    private boolean checkMatches(int len, boolean crc) {
        if (crc) {
            int sent = (buffer[len - 2] & 0xFF) | (buffer[len - 1] & 0xFF) << 8;
            return sent == OsdpCrc.crc16(buffer, 0, len - 2);
        }
        return (buffer[len - 1] & 0xFF) == OsdpCrc.checksum(buffer, 0, len - 1);
    }

    /** Splits a packet whose check characters matched into its parts, if they are consistent. */
    private Optional<OsdpPacket> structure(int len, boolean crc) {
        int ctrl = buffer[4] & 0xFF;
        int end = len - (crc ? 2 : 1);
        int i = OsdpPacket.HEADER_LENGTH;
        Optional<OsdpPacket.SecurityBlock> scb = Optional.empty();
        if ((ctrl & 0x08) != 0) {
            int scbLen = buffer[i] & 0xFF;
            if (scbLen < 2 || i + scbLen >= end) {
                return Optional.empty();
            }
            scb = Optional.of(new OsdpPacket.SecurityBlock(buffer[i + 1] & 0xFF, Arrays.copyOfRange(buffer, i + 2, i + scbLen)));
            i += scbLen;
        }
        int code = buffer[i++] & 0xFF;
        boolean hasMac = scb.map(OsdpPacket.SecurityBlock::carriesMac).orElse(false);
        int dataEnd = end - (hasMac ? OsdpPacket.MAC_LENGTH : 0);
        if (dataEnd < i) {
            return Optional.empty();
        }
        Optional<byte[]> mac = hasMac ? Optional.of(Arrays.copyOfRange(buffer, dataEnd, end)) : Optional.empty();
        int addr = buffer[1] & 0xFF;
        return Optional.of(new OsdpPacket(addr & 0x7F, (addr & 0x80) != 0, ctrl & 0x03, crc, scb, code,
                Arrays.copyOfRange(buffer, i, dataEnd), mac));
    }

    /** Drops the candidate's SOM only; scanning resumes at the next byte. */
    private void rejectCandidate() {
        resyncs++;
        frame.drop(1);
    }

    /** Bytes waiting for the rest of a packet. */
    public int buffered() {
        return frame.size();
    }

    public long packets() {
        return packetCount;
    }

    /** Candidates whose CRC or checksum did not match. */
    public long checkErrors() {
        return checkErrors;
    }

    /** Candidates whose length field was below the minimum or above the maximum. */
    public long badLengths() {
        return badLengths;
    }

    /** Candidates with matching check characters but an inconsistent structure. */
    public long malformed() {
        return malformed;
    }

    /** Bytes discarded (0xFF marks excluded). */
    public long droppedBytes() {
        return frame.droppedBytes();
    }

    /** Candidates abandoned, after which scanning resumed one byte later. */
    public long resyncs() {
        return resyncs;
    }
}
