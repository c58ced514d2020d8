package org.campusedge.bridge.rdm6300;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rdm6300CodecTest {

    /**
     * Published example: Seeed Studio, "Grove - 125KHz RFID Reader" wiki, UART data format:
     * card number 62E3086CED, checksum (62H) XOR (E3H) XOR (08H) XOR (6CH) XOR (EDH) = 08H.
     */
    static final byte[] SEEED_EXAMPLE = HexFormat.of().parseHex(
            "02"                     // STX
            + "3632" + "4533"        // "62" version byte, "E3"
            + "3038" + "3643" + "4544" // "08" "6C" "ED": 32-bit card number E3086CED
            + "3038"                 // "08" checksum
            + "03");                 // ETX

    private final List<Rdm6300Frame> frames = new ArrayList<>();
    private final Rdm6300Decoder decoder = new Rdm6300Decoder(frames::add);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void decodes_the_published_seeed_example() throws Exception {
        Rdm6300Frame f = Rdm6300Codec.decode(SEEED_EXAMPLE);
        assertThat(f.version()).isEqualTo(0x62);
        assertThat(f.cardNumber()).isEqualTo(0xE3086CEDL);
        assertThat(f.checksum()).isEqualTo(0x08);
        assertThat(f.hexId()).isEqualTo("62E3086CED");
    }

    @Test
    void encodes_the_published_example_byte_for_byte() {
        assertThat(Rdm6300Codec.encode(Rdm6300Frame.ofHex("62E3086CED"))).isEqualTo(SEEED_EXAMPLE);
    }

    @Test
    void round_trips_edge_values() throws Exception {
        for (Rdm6300Frame f : List.of(new Rdm6300Frame(0, 0), new Rdm6300Frame(0xFF, 0xFFFF_FFFFL),
                new Rdm6300Frame(0x0A, 0x00D6E3F2L), Rdm6300Frame.ofHex("1f00a4b2c3"))) {
            assertThat(Rdm6300Codec.decode(Rdm6300Codec.encode(f))).isEqualTo(f);
        }
    }

    @Test
    void the_vector_split_at_every_offset_decodes_once() {
        for (int split = 0; split <= SEEED_EXAMPLE.length; split++) {
            frames.clear();
            Rdm6300Decoder d = new Rdm6300Decoder(frames::add);
            d.feed(SEEED_EXAMPLE, 0, split);
            d.feed(SEEED_EXAMPLE, split, SEEED_EXAMPLE.length - split);
            assertThat(frames).as("split at %d", split).containsExactly(Rdm6300Frame.ofHex("62E3086CED"));
            assertThat(d.droppedBytes()).isZero();
        }
    }

    @Test
    void byte_by_byte_feeding_decodes_consecutive_frames() {
        byte[] two = concat(SEEED_EXAMPLE, Rdm6300Codec.encode(Rdm6300Frame.ofHex("0A00D6E3F2")));
        for (byte b : two) {
            decoder.feed(b);
        }
        assertThat(frames).extracting(Rdm6300Frame::hexId).containsExactly("62E3086CED", "0A00D6E3F2");
        assertThat(decoder.frames()).isEqualTo(2);
    }

    @Test
    void drops_frame_with_bad_checksum_and_counts_it() {
        byte[] bad = Rdm6300Codec.encode(Rdm6300Frame.ofHex("62E3086CED"), 0x09);
        decoder.feed(concat(bad, SEEED_EXAMPLE), 0, bad.length + SEEED_EXAMPLE.length);
        assertThat(frames).extracting(Rdm6300Frame::hexId).containsExactly("62E3086CED");
        assertThat(decoder.checksumErrors()).isEqualTo(1);
    }

    @Test
    void resyncs_after_garbage_before_and_between_frames_and_counts_dropped_bytes() {
        byte[] garbage = {0x00, (byte) 0xFF, 'x', 0x03, 0x0D, 0x0A};
        byte[] stream = concat(garbage, SEEED_EXAMPLE, garbage, SEEED_EXAMPLE);
        decoder.feed(stream, 0, stream.length);
        assertThat(frames).hasSize(2);
        assertThat(decoder.droppedBytes()).isEqualTo(2L * garbage.length);
        assertThat(decoder.state()).isEqualTo(Rdm6300Decoder.State.HUNT);
    }

    @Test
    void a_truncated_frame_followed_by_a_good_one_yields_the_good_one() {
        byte[] truncated = java.util.Arrays.copyOf(SEEED_EXAMPLE, 7);
        byte[] stream = concat(truncated, SEEED_EXAMPLE);
        decoder.feed(stream, 0, stream.length);
        assertThat(frames).containsExactly(Rdm6300Frame.ofHex("62E3086CED"));
        assertThat(decoder.resyncs()).isEqualTo(1);
        assertThat(decoder.droppedBytes()).isEqualTo(7);
    }

    @Test
    void a_non_hex_character_abandons_the_frame() {
        byte[] bad = SEEED_EXAMPLE.clone();
        bad[5] = 'G';
        byte[] stream = concat(bad, SEEED_EXAMPLE);
        decoder.feed(stream, 0, stream.length);
        assertThat(frames).hasSize(1);
        assertThat(decoder.resyncs()).isEqualTo(1);
        assertThat(decoder.droppedBytes()).isEqualTo(bad.length);
    }

    @Test
    void a_missing_etx_abandons_the_frame() {
        byte[] noEtx = SEEED_EXAMPLE.clone();
        noEtx[13] = 'A';
        byte[] stream = concat(noEtx, SEEED_EXAMPLE);
        decoder.feed(stream, 0, stream.length);
        assertThat(frames).hasSize(1);
        assertThat(decoder.resyncs()).isEqualTo(1);
    }

    @Test
    void accepts_lower_case_hex_from_clones() {
        byte[] lower = concat(new byte[] {0x02}, ascii("62e3086ced08"), new byte[] {0x03});
        decoder.feed(lower, 0, lower.length);
        assertThat(frames).containsExactly(Rdm6300Frame.ofHex("62E3086CED"));
    }

    @Test
    void decode_of_an_isolated_frame_names_what_is_wrong() {
        assertThatThrownBy(() -> Rdm6300Codec.decode(new byte[13]))
                .isInstanceOf(Rdm6300Exception.class).hasMessageContaining("14 bytes, got 13")
                .satisfies(e -> assertThat(((Rdm6300Exception) e).reason()).isEqualTo(Rdm6300Exception.Reason.LENGTH));
        byte[] noStx = SEEED_EXAMPLE.clone();
        noStx[0] = 0x01;
        assertThatThrownBy(() -> Rdm6300Codec.decode(noStx))
                .satisfies(e -> assertThat(((Rdm6300Exception) e).reason()).isEqualTo(Rdm6300Exception.Reason.NO_STX));
        byte[] noEtx = SEEED_EXAMPLE.clone();
        noEtx[13] = 0x04;
        assertThatThrownBy(() -> Rdm6300Codec.decode(noEtx))
                .satisfies(e -> assertThat(((Rdm6300Exception) e).reason()).isEqualTo(Rdm6300Exception.Reason.NO_ETX));
        byte[] notHex = SEEED_EXAMPLE.clone();
        notHex[3] = 'Z';
        assertThatThrownBy(() -> Rdm6300Codec.decode(notHex))
                .satisfies(e -> assertThat(((Rdm6300Exception) e).reason()).isEqualTo(Rdm6300Exception.Reason.NOT_HEX));
        assertThatThrownBy(() -> Rdm6300Codec.decode(Rdm6300Codec.encode(Rdm6300Frame.ofHex("62E3086CED"), 0)))
                .hasMessageContaining("checksum 0x00 does not match 0x08")
                .satisfies(e -> assertThat(((Rdm6300Exception) e).reason()).isEqualTo(Rdm6300Exception.Reason.CHECKSUM));
    }

    @Test
    void frames_validate_their_fields() {
        assertThatThrownBy(() -> new Rdm6300Frame(256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rdm6300Frame(0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rdm6300Frame.ofHex("62E3086C")).hasMessageContaining("10 hex digits");
        assertThatThrownBy(() -> Rdm6300Frame.ofHex("62E3086CEZ")).hasMessageContaining("10 hex digits");
    }
}
