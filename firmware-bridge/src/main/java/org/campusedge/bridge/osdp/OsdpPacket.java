package org.campusedge.bridge.osdp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One OSDP packet (SIA OSDP v2.2 / IEC 60839-11-5). On the wire, after an optional 0xFF mark:
 *
 * <pre>
 * SOM 0x53 | ADDR (bit 7 set in replies) | LEN lsb msb (SOM..check chars) | CTRL |
 * [SCB: length, type, data] | command or reply code | data | [MAC, 4 bytes] | CRC-16 lsb msb, or checksum
 * </pre>
 *
 * CTRL: bits 0-1 sequence number, bit 2 set for CRC-16 (clear: 8-bit checksum), bit 3 set when
 * a security control block follows. Layout as documented by libosdp, doc/protocol/packet-structure.
 *
 * @param address  the peripheral's address, 0..0x7E, or 0x7F for broadcast
 * @param reply    whether the PD sent it (bit 7 of ADDR)
 * @param sequence 0..3; 0 only when (re)starting a conversation
 * @param crc      CRC-16 (true) or 8-bit checksum (false)
 * @param security the security control block, if present
 * @param code     command or reply code
 * @param data     the command or reply data (a copy is kept)
 * @param mac      the 4-byte MAC of secure-channel packets with SCB types 0x15..0x18
 */
public record OsdpPacket(int address, boolean reply, int sequence, boolean crc, Optional<SecurityBlock> security,
                         int code, byte[] data, Optional<byte[]> mac) {

    public static final int SOM = 0x53;
    public static final int MARK = 0xFF;
    public static final int BROADCAST = 0x7F;
    /** SOM, ADDR, LEN (2), CTRL. */
    public static final int HEADER_LENGTH = 5;
    public static final int MAC_LENGTH = 4;

    /**
     * A security control block.
     *
     * @param type the SCB type (0x11 SCS_11 … 0x18 SCS_18)
     * @param data the SCB data after the type byte
     */
    public record SecurityBlock(int type, byte[] data) {
        public SecurityBlock {
            if (type < 0 || type > 0xFF) {
                throw new IllegalArgumentException("SCB type must be a byte, got " + type);
            }
            data = data.clone();
            if (data.length > 253) {
                throw new IllegalArgumentException("SCB data too long: " + data.length);
            }
        }

        /** Whether packets with this block carry a MAC (SCS_15..SCS_18). */
        public boolean carriesMac() {
            return type >= 0x15 && type <= 0x18;
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SecurityBlock s && s.type == type && Arrays.equals(s.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return String.format("SCB[type=0x%02X, data=%s]", type, HexFormat.of().formatHex(data));
        }
    }

    public OsdpPacket {
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(mac, "mac");
        if (address < 0 || address > BROADCAST) {
            throw new IllegalArgumentException("address must be 0..0x7F, got " + address);
        }
        if (sequence < 0 || sequence > 3) {
            throw new IllegalArgumentException("sequence must be 0..3, got " + sequence);
        }
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("code must be a byte, got " + code);
        }
        data = data.clone();
        boolean needsMac = security.map(SecurityBlock::carriesMac).orElse(false);
        if (needsMac != mac.isPresent()) {
            throw new IllegalArgumentException(needsMac ? "this security block type needs a MAC" : "a MAC needs an SCB of type 0x15..0x18");
        }
        mac = mac.map(byte[]::clone);
        if (mac.isPresent() && mac.get().length != MAC_LENGTH) {
            throw new IllegalArgumentException("a MAC is " + MAC_LENGTH + " bytes");
        }
    }

    /** A plain (no secure channel) command from the ACU. */
    public static OsdpPacket command(int address, int sequence, OsdpCommand command, byte[] data) {
        return new OsdpPacket(address, false, sequence, true, Optional.empty(), command.code(), data, Optional.empty());
    }

    /** A plain reply from a PD. */
    public static OsdpPacket reply(int address, int sequence, OsdpReply reply, byte[] data) {
        return new OsdpPacket(address, true, sequence, true, Optional.empty(), reply.code(), data, Optional.empty());
    }

    /** Bytes on the wire from SOM through the check characters. */
    public int wireLength() {
        return HEADER_LENGTH + security.map(s -> 2 + s.data.length).orElse(0) + 1 + data.length
                + (mac.isPresent() ? MAC_LENGTH : 0) + (crc ? 2 : 1);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public Optional<byte[]> mac() {
        return mac.map(byte[]::clone);
    }

    /** The data without copying, for encoders in this package. */
    byte[] dataView() {
        return data;
    }

    public Optional<OsdpCommand> command() {
        return reply ? Optional.empty() : OsdpCommand.of(code);
    }

    public Optional<OsdpReply> replyCode() {
        return reply ? OsdpReply.of(code) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsdpPacket p && p.address == address && p.reply == reply && p.sequence == sequence
                && p.crc == crc && p.security.equals(security) && p.code == code && Arrays.equals(p.data, data)
                && p.mac.isPresent() == mac.isPresent() && (mac.isEmpty() || Arrays.equals(p.mac.get(), mac.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, reply, sequence, crc, security, code, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String name = reply ? OsdpReply.of(code).map(Enum::name).orElse("reply") : OsdpCommand.of(code).map(Enum::name).orElse("command");
        return String.format("osdp_%s[addr=0x%02X, sqn=%d, %s%s, code=0x%02X, data=%s%s]", name, address, sequence,
                crc ? "crc" : "checksum", security.map(s -> ", " + s).orElse(""), code, HexFormat.of().formatHex(data),
                mac.map(m -> ", mac=" + HexFormat.of().formatHex(m)).orElse(""));
    }
}
