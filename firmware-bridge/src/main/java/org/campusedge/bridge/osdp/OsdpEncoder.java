package org.campusedge.bridge.osdp;

/** Turns packets into wire bytes. Stateless and thread-safe. */
public final class OsdpEncoder {

    private OsdpEncoder() {
    }

    /** The packet's bytes from SOM through the check characters. */
    public static byte[] encode(OsdpPacket p) {
        return encode(p, false);
    }

    /** As {@link #encode(OsdpPacket)}, preceded by the 0xFF mark byte when {@code withMark}. */
    public static byte[] encode(OsdpPacket p, boolean withMark) {
        int length = p.wireLength();
        int start = withMark ? 1 : 0;
        byte[] out = new byte[start + length];
        if (withMark) {
            out[0] = (byte) OsdpPacket.MARK;
        }
        int i = start;
        out[i++] = (byte) OsdpPacket.SOM;
        out[i++] = (byte) (p.address() | (p.reply() ? 0x80 : 0));
        out[i++] = (byte) length;
        out[i++] = (byte) (length >> 8);
        out[i++] = (byte) (p.sequence() | (p.crc() ? 0x04 : 0) | (p.security().isPresent() ? 0x08 : 0));
        if (p.security().isPresent()) {
            byte[] scb = p.security().get().data();
            out[i++] = (byte) (2 + scb.length);
            out[i++] = (byte) p.security().get().type();
            System.arraycopy(scb, 0, out, i, scb.length);
            i += scb.length;
        }
        out[i++] = (byte) p.code();
        byte[] data = p.dataView();
        System.arraycopy(data, 0, out, i, data.length);
        i += data.length;
        if (p.mac().isPresent()) {
            System.arraycopy(p.mac().get(), 0, out, i, OsdpPacket.MAC_LENGTH);
            i += OsdpPacket.MAC_LENGTH;
        }
        if (p.crc()) {
            int crc = OsdpCrc.crc16(out, start, i - start);
            out[i++] = (byte) crc;
            out[i] = (byte) (crc >> 8);
        } else {
            out[i] = (byte) OsdpCrc.checksum(out, start, i - start);
        }
        return out;
    }
}
