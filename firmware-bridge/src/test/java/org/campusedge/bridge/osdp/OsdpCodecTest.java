package org.campusedge.bridge.osdp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OSDP framing against packets captured from another implementation: libosdp's unit tests
 * (goToMain/libosdp, tests/unit-tests/test-cp-phy.c and test-cp-fsm.c), each decoded,
 * re-encoded and compared byte for byte.
 */
class OsdpCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** osdp_POLL to PD 0x65: mark, SOM, addr 0x65, LEN 8, CTRL 0x04 (CRC, SQN 0), 0x60, CRC 0x9060 (LSB first). */
    static final byte[] LIBOSDP_POLL = HEX.parseHex("ff" + "53" + "65" + "0800" + "04" + "60" + "6090");
    /** osdp_ID to PD 0x65: LEN 9, CTRL 0x05 (CRC, SQN 1), 0x61, data 00 (standard reply), CRC 0x4DE9. */
    static final byte[] LIBOSDP_ID = HEX.parseHex("ff" + "53" + "65" + "0900" + "05" + "61" + "00" + "e94d");
    /** osdp_PDID: LEN 20, CTRL 0x04, 0x45, 12 data bytes (vendor, model, version, serial, firmware), CRC 0x29F0. */
    static final byte[] LIBOSDP_PDID = HEX.parseHex("ff" + "53" + "65" + "1400" + "04" + "45"
            + "a1a2a3" + "b1" + "c1" + "d1d2d3d4" + "e1e2e3" + "f029");
    /** osdp_PDCAP: LEN 11, CTRL 0x05, 0x46, one capability (function 4, compliance 4, 1 item), CRC 0x1132. */
    static final byte[] LIBOSDP_PDCAP = HEX.parseHex("ff" + "53" + "65" + "0b00" + "05" + "46" + "040401" + "3211");

    private final List<OsdpPacket> packets = new ArrayList<>();
    private final OsdpDecoder decoder = new OsdpDecoder(packets::add);

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private OsdpPacket decodeOne(byte[] wire) {
        packets.clear();
        OsdpDecoder d = new OsdpDecoder(packets::add);
        d.feed(wire, 0, wire.length);
        assertThat(packets).hasSize(1);
        return packets.get(0);
    }

    @Test
    void crc_matches_the_crc16_aug_ccitt_check_value() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(OsdpCrc.crc16(check, 0, check.length)).isEqualTo(0xE5CC);
    }

    @Test
    void decodes_libosdp_poll_and_id_commands() {
        OsdpPacket poll = decodeOne(LIBOSDP_POLL);
        assertThat(poll.command()).hasValue(OsdpCommand.POLL);
        assertThat(poll.address()).isEqualTo(0x65);
        assertThat(poll.sequence()).isZero();
        assertThat(poll.crc()).isTrue();
        assertThat(poll.data()).isEmpty();

        OsdpPacket id = decodeOne(LIBOSDP_ID);
        assertThat(id.command()).hasValue(OsdpCommand.ID);
        assertThat(id.sequence()).isEqualTo(1);
        assertThat(id.data()).containsExactly(0x00);
    }

    @Test
    void decodes_libosdp_pdid_and_pdcap_replies() {
        OsdpPacket pdid = decodeOne(LIBOSDP_PDID);
        assertThat(pdid.code()).isEqualTo(OsdpReply.PDID.code());
        assertThat(pdid.data()).hasSize(12).startsWith((byte) 0xa1, (byte) 0xa2, (byte) 0xa3);
        OsdpPacket cap = decodeOne(LIBOSDP_PDCAP);
        assertThat(cap.code()).isEqualTo(OsdpReply.PDCAP.code());
        assertThat(cap.data()).containsExactly(0x04, 0x04, 0x01);
    }

    @Test
    void re_encodes_every_vector_byte_for_byte() {
        for (byte[] v : List.of(LIBOSDP_POLL, LIBOSDP_ID, LIBOSDP_PDID, LIBOSDP_PDCAP)) {
            assertThat(OsdpEncoder.encode(decodeOne(v), true)).isEqualTo(v);
        }
        assertThat(OsdpEncoder.encode(OsdpPacket.command(0x65, 0, OsdpCommand.POLL, new byte[0]), true)).isEqualTo(LIBOSDP_POLL);
    }

    @Test
    void every_vector_split_at_every_offset_decodes_once() {
        for (byte[] v : List.of(LIBOSDP_POLL, LIBOSDP_ID, LIBOSDP_PDID, LIBOSDP_PDCAP)) {
            for (int split = 0; split <= v.length; split++) {
                packets.clear();
                OsdpDecoder d = new OsdpDecoder(packets::add);
                d.feed(v, 0, split);
                d.feed(v, split, v.length - split);
                assertThat(packets).as("split at %d of %s", split, HEX.formatHex(v)).hasSize(1);
                assertThat(d.droppedBytes()).isZero();
                assertThat(d.buffered()).isZero();
            }
        }
    }

    @Test
    void checksum_mode_round_trips() {
        OsdpPacket p = new OsdpPacket(3, true, 2, false, Optional.empty(), OsdpReply.ACK.code(), new byte[0], Optional.empty());
        byte[] wire = OsdpEncoder.encode(p);
        assertThat(wire).hasSize(7);
        int sum = 0;
        for (byte b : wire) {
            sum += b & 0xFF;
        }
        assertThat(sum & 0xFF).as("the checksum makes the byte sum zero").isZero();
        assertThat(decodeOne(wire)).isEqualTo(p);
    }

    @Test
    void secure_channel_blocks_and_macs_round_trip() {
        OsdpPacket scs17 = new OsdpPacket(1, false, 2, true, Optional.of(new OsdpPacket.SecurityBlock(0x17, new byte[0])),
                OsdpCommand.LED.code(), HEX.parseHex("00112233445566778899aabbccddeeff"), Optional.of(HEX.parseHex("01020304")));
        OsdpPacket chlng = new OsdpPacket(1, false, 1, true, Optional.of(new OsdpPacket.SecurityBlock(0x11, new byte[] {0})),
                OsdpCommand.CHLNG.code(), HEX.parseHex("0102030405060708"), Optional.empty());
        assertThat(decodeOne(OsdpEncoder.encode(scs17))).isEqualTo(scs17);
        assertThat(decodeOne(OsdpEncoder.encode(chlng))).isEqualTo(chlng);
    }

    @Test
    void drops_a_packet_with_a_bad_crc_and_finds_the_next() {
        byte[] bad = LIBOSDP_POLL.clone();
        bad[bad.length - 1] ^= 0x01;
        byte[] stream = concat(bad, LIBOSDP_ID);
        decoder.feed(stream, 0, stream.length);
        assertThat(packets).extracting(OsdpPacket::code).containsExactly(OsdpCommand.ID.code());
        assertThat(decoder.checkErrors()).isEqualTo(1);
    }

    @Test
    void resyncs_on_a_packet_hidden_after_a_false_start() {
        // A stray SOM with a plausible header swallows the real packet's first bytes; only the
        // stray SOM is dropped, so the real packet is still found.
        byte[] stray = HEX.parseHex("53650c0004");
        byte[] stream = concat(new byte[] {0x00, 0x12}, stray, LIBOSDP_PDID);
        decoder.feed(stream, 0, stream.length);
        assertThat(packets).extracting(OsdpPacket::code).containsExactly(OsdpReply.PDID.code());
        assertThat(decoder.resyncs()).isPositive();
        assertThat(decoder.droppedBytes()).isEqualTo(2 + stray.length);
    }

    @Test
    void rejects_length_fields_beyond_the_maximum_without_allocating() {
        byte[] huge = HEX.parseHex("5300ffff0460");
        byte[] stream = concat(huge, LIBOSDP_POLL);
        OsdpDecoder small = new OsdpDecoder(64, packets::add);
        small.feed(stream, 0, stream.length);
        assertThat(packets).hasSize(1);
        assertThat(small.badLengths()).isEqualTo(1);
    }

    @Test
    void a_packet_with_matching_crc_but_impossible_structure_is_malformed() {
        // SCB flag set, SCB length 0x20 runs past the end of the packet.
        byte[] body = HEX.parseHex("53010a000c2011" + "60");
        int crc = OsdpCrc.crc16(body, 0, body.length);
        byte[] wire = concat(body, new byte[] {(byte) crc, (byte) (crc >> 8)});
        decoder.feed(wire, 0, wire.length);
        assertThat(packets).isEmpty();
        assertThat(decoder.malformed()).isEqualTo(1);
    }

    @Test
    void nak_codes_and_unknown_codes_are_named() {
        assertThat(OsdpNakCode.of(0x04)).hasValue(OsdpNakCode.SEQUENCE_NUMBER);
        assertThat(OsdpNakCode.of(0x42)).isEmpty();
        assertThat(OsdpCommand.of(0x99)).isEmpty();
        assertThat(OsdpReply.of(0x50)).hasValue(OsdpReply.RAW);
        assertThat(decodeOne(LIBOSDP_POLL).toString()).contains("osdp_POLL", "addr=0x65", "sqn=0");
    }
}
