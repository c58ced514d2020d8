package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.rdm6300.PublishedVectors.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rdm6300CodecTest {

    static final List<Vector> VECTORS = PublishedVectors.ALL;
    private static final byte[] SEEED = PublishedVectors.SEEED_DATASHEET.wire();

    private final List<Rdm6300Frame> frames = new ArrayList<>();
    private final Rdm6300Decoder decoder = new Rdm6300Decoder(frames::add);

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void feed(byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length);
    }

    private static Rdm6300Exception.Reason reasonOf(byte[] wire) {
        try {
            Rdm6300Decoder.decode(wire);
        } catch (Rdm6300Exception e) {
            return e.reason();
        }
        throw new AssertionError("decoded " + Arrays.toString(wire));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void decodes_published_vector_to_its_version_card_number_and_checksum(Vector v) throws Exception {
        Rdm6300Frame f = Rdm6300Decoder.decode(v.wire());
        assertThat(f.version()).isEqualTo(v.version());
        assertThat(f.cardNumber()).isEqualTo(v.cardNumber());
        assertThat(f.checksum()).isEqualTo(v.checksum());
        assertThat(f.hexId()).isEqualTo(v.hexId());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void encodes_published_vector_byte_for_byte(Vector v) {
        assertThat(Rdm6300Encoder.encode(new Rdm6300Frame(v.version(), v.cardNumber()))).isEqualTo(v.wire());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void stream_decodes_published_vector_split_at_every_offset(Vector v) {
        for (int split = 0; split <= v.wire().length; split++) {
            List<Rdm6300Frame> out = new ArrayList<>();
            Rdm6300Decoder d = new Rdm6300Decoder(out::add);
            d.feed(v.wire(), 0, split);
            d.feed(v.wire(), split, v.wire().length - split);
            assertThat(out).as("split at %d", split).extracting(Rdm6300Frame::hexId).containsExactly(v.hexId());
            assertThat(d.droppedBytes()).isZero();
            assertThat(d.state()).isEqualTo(Rdm6300Decoder.State.HUNT);
        }
    }

    @Test
    void round_trips_edge_values_through_encoder_and_both_decoders() throws Exception {
        for (Rdm6300Frame f : List.of(new Rdm6300Frame(0, 0), new Rdm6300Frame(0xFF, 0xFFFF_FFFFL),
                new Rdm6300Frame(0x80, 0x8000_0000L), Rdm6300Frame.ofHex("1f00a4b2c3"))) {
            byte[] wire = Rdm6300Encoder.encode(f);
            assertThat(Rdm6300Decoder.decode(wire)).isEqualTo(f);
            feed(wire);
        }
        assertThat(frames).hasSize(4);
        assertThat(decoder.frames()).isEqualTo(4);
    }

    @Test
    void frame_exposes_its_five_data_bytes_and_builds_from_them() {
        Rdm6300Frame f = Rdm6300Frame.ofHex("62E3086CED");
        assertThat(f.dataBytes()).containsExactly(0x62, 0xE3, 0x08, 0x6C, 0xED);
        assertThat(Rdm6300Frame.ofDataBytes(f.dataBytes())).isEqualTo(f);
        assertThatThrownBy(() -> Rdm6300Frame.ofDataBytes(new byte[4])).hasMessageContaining("5 data bytes, got 4");
    }

    @Test
    void decodes_consecutive_frames_fed_byte_by_byte() {
        byte[] stream = concat(SEEED, PublishedVectors.HOBBY_COMPONENTS.wire(), PublishedVectors.STACK_OVERFLOW.wire());
        for (byte b : stream) {
            decoder.feed(b);
        }
        assertThat(frames).extracting(Rdm6300Frame::hexId).containsExactly("62E3086CED", "100086F444", "3C00CE754C");
        assertThat(decoder.droppedBytes()).isZero();
    }

    @Test
    void drops_frame_with_bad_checksum_counts_it_and_decodes_the_next() {
        feed(concat(Rdm6300Encoder.encodeWithChecksum(Rdm6300Frame.ofHex("62E3086CED"), 0x09), SEEED));
        assertThat(frames).extracting(Rdm6300Frame::hexId).containsExactly("62E3086CED");
        assertThat(decoder.checksumErrors()).isEqualTo(1);
        assertThat(decoder.frames()).isEqualTo(1);
    }

    @Test
    void resyncs_after_garbage_before_and_between_frames_and_counts_dropped_bytes() {
        byte[] garbage = {0x00, (byte) 0xFF, 'x', 0x03, 0x0D, 0x0A};
        feed(concat(garbage, SEEED, garbage, SEEED));
        assertThat(frames).hasSize(2);
        assertThat(decoder.droppedBytes()).isEqualTo(2L * garbage.length);
        assertThat(decoder.resyncs()).as("garbage outside a frame needs no resync").isZero();
        assertThat(decoder.state()).isEqualTo(Rdm6300Decoder.State.HUNT);
    }

    @Test
    void truncated_frame_followed_by_a_good_one_yields_the_good_one() {
        feed(concat(Arrays.copyOf(SEEED, 7), SEEED));
        assertThat(frames).containsExactly(Rdm6300Frame.ofHex("62E3086CED"));
        assertThat(decoder.resyncs()).isEqualTo(1);
        assertThat(decoder.droppedBytes()).as("the 7 bytes of the cut-off frame").isEqualTo(7);
    }

    @Test
    void frame_cut_off_just_before_etx_is_dropped_when_the_next_stx_arrives() {
        feed(concat(Arrays.copyOf(SEEED, 13), SEEED));
        assertThat(frames).hasSize(1);
        assertThat(decoder.droppedBytes()).isEqualTo(13);
    }

    @Test
    void non_hex_character_abandons_the_frame_and_hunts_for_the_next_stx() {
        byte[] bad = SEEED.clone();
        bad[5] = 'G';
        feed(concat(bad, SEEED));
        assertThat(frames).hasSize(1);
        assertThat(decoder.resyncs()).isEqualTo(1);
        assertThat(decoder.droppedBytes()).isEqualTo(bad.length);
    }

    @Test
    void missing_etx_abandons_the_frame() {
        byte[] noEtx = SEEED.clone();
        noEtx[13] = 'A';
        feed(concat(noEtx, SEEED));
        assertThat(frames).hasSize(1);
        assertThat(decoder.resyncs()).isEqualTo(1);
        assertThat(decoder.droppedBytes()).isEqualTo(14);
    }

    @Test
    void accepts_lower_case_hex_as_sent_by_some_clones() {
        byte[] lower = concat(new byte[] {0x02}, "62e3086ced08".getBytes(StandardCharsets.US_ASCII), new byte[] {0x03});
        feed(lower);
        assertThat(frames).containsExactly(Rdm6300Frame.ofHex("62E3086CED"));
    }

    @Test
    void isolated_decode_names_what_is_wrong() {
        assertThatThrownBy(() -> Rdm6300Decoder.decode(new byte[13]))
                .isInstanceOf(Rdm6300Exception.class).hasMessageContaining("14 bytes, got 13");
        assertThat(reasonOf(new byte[13])).isEqualTo(Rdm6300Exception.Reason.LENGTH);
        byte[] noStx = SEEED.clone();
        noStx[0] = 0x01;
        assertThat(reasonOf(noStx)).isEqualTo(Rdm6300Exception.Reason.NO_STX);
        byte[] noEtx = SEEED.clone();
        noEtx[13] = 0x04;
        assertThat(reasonOf(noEtx)).isEqualTo(Rdm6300Exception.Reason.NO_ETX);
        byte[] notHex = SEEED.clone();
        notHex[3] = 'Z';
        assertThat(reasonOf(notHex)).isEqualTo(Rdm6300Exception.Reason.NOT_HEX);
        byte[] badSum = Rdm6300Encoder.encodeWithChecksum(Rdm6300Frame.ofHex("62E3086CED"), 0);
        assertThat(reasonOf(badSum)).isEqualTo(Rdm6300Exception.Reason.CHECKSUM);
        assertThatThrownBy(() -> Rdm6300Decoder.decode(badSum)).hasMessageContaining("checksum 0x00 does not match 0x08");
    }

    @Test
    void frames_validate_their_fields() {
        assertThatThrownBy(() -> new Rdm6300Frame(256, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rdm6300Frame(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rdm6300Frame(0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rdm6300Frame.ofHex("62E3086C")).hasMessageContaining("10 hex digits");
        assertThatThrownBy(() -> Rdm6300Frame.ofHex("62E3086CEZ")).hasMessageContaining("10 hex digits");
        assertThatThrownBy(() -> Rdm6300Encoder.encodeWithChecksum(Rdm6300Frame.ofHex("62E3086CED"), 256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
