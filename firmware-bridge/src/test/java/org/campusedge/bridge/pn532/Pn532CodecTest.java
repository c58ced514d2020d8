package org.campusedge.bridge.pn532;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.campusedge.bridge.pn532.PublishedVectors.hex;

/** Published frames decoded, re-encoded and streamed in every split; the strict decoder's errors. */
class Pn532CodecTest {

    static final List<PublishedVectors.Vector> VECTORS = PublishedVectors.ALL;
    static final List<PublishedVectors.TargetVector> TARGETS = PublishedVectors.TARGETS;

    private static List<Pn532Frame> stream(byte[]... chunks) {
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        for (byte[] c : chunks) {
            d.feed(c, 0, c.length);
        }
        return out;
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void published_frame_decodes_strictly_to_its_stated_fields(PublishedVectors.Vector v) throws Exception {
        assertThat(Pn532Decoder.decode(v.wire())).isEqualTo(v.frame());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void published_frame_re_encodes_to_the_same_bytes(PublishedVectors.Vector v) {
        assertThat(Pn532Encoder.encode(v.frame())).isEqualTo(v.wire());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void published_frame_split_at_every_offset_is_decoded_once(PublishedVectors.Vector v) {
        byte[] w = v.wire();
        for (int split = 0; split <= w.length; split++) {
            byte[] a = java.util.Arrays.copyOfRange(w, 0, split);
            byte[] b = java.util.Arrays.copyOfRange(w, split, w.length);
            assertThat(stream(a, b)).as("split at %d", split).containsExactly(v.frame());
        }
    }

    @Test
    void all_published_frames_fed_byte_by_byte_come_out_in_order() {
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        for (PublishedVectors.Vector v : VECTORS) {
            for (byte b : v.wire()) {
                d.feed(b);
            }
        }
        assertThat(out).containsExactlyElementsOf(VECTORS.stream().map(PublishedVectors.Vector::frame).toList());
        assertThat(d.droppedBytes()).isZero();
        assertThat(d.resyncs()).isZero();
    }

    @ParameterizedTest
    @FieldSource("TARGETS")
    void published_list_response_yields_its_target(PublishedVectors.TargetVector t) throws Exception {
        Pn532Frame.Information f = (Pn532Frame.Information) Pn532Decoder.decode(t.vector().wire());
        assertThat(f.isResponseTo(Pn532Command.IN_LIST_PASSIVE_TARGET)).isTrue();
        assertThat(Pn532Target.fromListResponse(f.data())).contains(t.target());
        assertThat(t.target().toListResponse()).isEqualTo(f.data());
    }

    @Test
    void seven_byte_uid_is_upper_case_hex() throws Exception {
        Pn532Frame.Information f = (Pn532Frame.Information) Pn532Decoder.decode(PublishedVectors.MIFARE_ULTRALIGHT.vector().wire());
        assertThat(Pn532Target.fromListResponse(f.data()).orElseThrow().uidHex()).isEqualTo("047BCB51962280");
    }

    @Test
    void target_with_ats_round_trips_and_no_target_is_empty() throws Exception {
        Pn532Target desfire = new Pn532Target(1, 0x0344, 0x20, hex("04112233445566"), hex("067577810280"));
        assertThat(Pn532Target.fromListResponse(desfire.toListResponse())).contains(desfire);
        assertThat(Pn532Target.fromListResponse(new byte[] {0})).isEmpty();
    }

    @Test
    void malformed_list_responses_are_rejected_with_a_reason() {
        for (String data : List.of("", "02", "0101000408", "01010004080512345678", "010100040804112233", "00FF",
                "01010004080411223344" + "05AABB")) {
            assertThatThrownBy(() -> Pn532Target.fromListResponse(hex(data))).as(data)
                    .isInstanceOf(Pn532Exception.class)
                    .extracting(e -> ((Pn532Exception) e).reason()).isEqualTo(Pn532Exception.Reason.MALFORMED_RESPONSE);
        }
    }

    @Test
    void nack_encodes_as_the_manual_shows_and_decodes_back() throws Exception {
        byte[] wire = hex("0000FFFF0000");
        assertThat(Pn532Encoder.encode(new Pn532Frame.Nack())).isEqualTo(wire);
        assertThat(Pn532Decoder.decode(wire)).isEqualTo(new Pn532Frame.Nack());
    }

    @Test
    void long_information_frame_uses_the_extended_format_and_round_trips_in_every_split() throws Exception {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Pn532Frame.Information frame = Pn532Frame.Information.response(Pn532Command.IN_LIST_PASSIVE_TARGET, java.util.Arrays.copyOf(data, 263));
        byte[] wire = Pn532Encoder.encode(frame);
        assertThat(wire).startsWith(hex("0000FFFFFF0109F6"));
        assertThat(wire.length).isEqualTo(265 + 10);
        assertThat(Pn532Decoder.decode(wire)).isEqualTo(frame);
        for (int split = 0; split <= wire.length; split += 13) {
            assertThat(stream(java.util.Arrays.copyOfRange(wire, 0, split), java.util.Arrays.copyOfRange(wire, split, wire.length)))
                    .containsExactly(frame);
        }
    }

    @Test
    void short_frames_stay_in_the_normal_format() {
        byte[] wire = Pn532Encoder.encode(Pn532Frame.Information.command(Pn532Command.IN_RELEASE, new byte[252]));
        assertThat(wire[3]).isEqualTo((byte) 0xFE);
        assertThat(wire.length).isEqualTo(254 + 7);
    }

    @Test
    void strict_decode_names_each_defect() {
        record Case(String wire, Pn532Exception.Reason reason) {
        }
        for (Case c : List.of(
                new Case("0000FF02FE", Pn532Exception.Reason.TRUNCATED),
                new Case("00", Pn532Exception.Reason.TRUNCATED),
                new Case("0000FE02FED4022A00", Pn532Exception.Reason.NO_START_CODE),
                new Case("0000FF02FDD4022A00", Pn532Exception.Reason.LENGTH_CHECKSUM),
                new Case("0000FFFFFF0200FDD4022A00", Pn532Exception.Reason.LENGTH_CHECKSUM),
                new Case("0000FF02FED4022B00", Pn532Exception.Reason.DATA_CHECKSUM),
                new Case("0000FF02FED4022A01", Pn532Exception.Reason.NO_POSTAMBLE),
                new Case("0000FF00FF01", Pn532Exception.Reason.NO_POSTAMBLE),
                new Case("0000FF02FED6022800", Pn532Exception.Reason.UNKNOWN_TFI),
                new Case("0000FF01FFD42C00", Pn532Exception.Reason.LENGTH_OUT_OF_RANGE),
                new Case("0000FFFFFF0200FE" + "00".repeat(514), Pn532Exception.Reason.LENGTH_OUT_OF_RANGE),
                new Case("0000FF02FED4022A0000", Pn532Exception.Reason.TRAILING_BYTES))) {
            assertThatThrownBy(() -> Pn532Decoder.decode(hex(c.wire()))).as(c.wire())
                    .isInstanceOf(Pn532Exception.class)
                    .extracting(e -> ((Pn532Exception) e).reason()).isEqualTo(c.reason());
        }
    }

    @Test
    void bad_checksums_are_counted_and_the_next_frame_still_decodes() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(hex("0000FF02FDD4022A00"));      // LCS wrong
        line.writeBytes(hex("0000FF02FED4022B00"));      // DCS wrong
        line.writeBytes(hex("55AA13"));                  // noise
        line.writeBytes(PublishedVectors.ACK.wire());
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        byte[] bytes = line.toByteArray();
        d.feed(bytes, 0, bytes.length);
        assertThat(out).containsExactly(new Pn532Frame.Ack());
        assertThat(d.checksumErrors()).isEqualTo(2);
        assertThat(d.resyncs()).isEqualTo(2);
        // FF of each rejected start code; the rest of the rejected candidates (02 FD D4 02 2A, 02 FE D4 02 2B)
        // hold no start code and are dropped while hunting; then 55 AA 13.
        assertThat(d.droppedBytes()).isEqualTo(1 + 5 + 1 + 5 + 3);
        assertThat(d.state()).isEqualTo(Pn532Decoder.State.HUNT);
    }

    @Test
    void a_frame_hidden_inside_a_rejected_candidate_is_found() {
        // 00 FF 05 FB starts a candidate whose body swallows the real frame; its DCS fails, the
        // decoder drops only 00 FF and rescans, finding the ACK inside.
        byte[] line = hex("00FF05FB" + "0000FF00FF00" + "1122");
        assertThat(stream(line)).containsExactly(new Pn532Frame.Ack());
    }

    @Test
    void huge_extended_len_is_rejected_from_the_header_without_waiting_for_the_body() {
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        byte[] header = hex("0000FFFFFFFF00" + "01");
        d.feed(header, 0, header.length);
        assertThat(d.lengthErrors()).isEqualTo(1);
        assertThat(d.pending()).isLessThanOrEqualTo(1);
        d.feed(PublishedVectors.ACK.wire(), 0, PublishedVectors.ACK.wire().length);
        assertThat(out).containsExactly(new Pn532Frame.Ack());
    }

    @Test
    void hsu_wake_up_is_55_55_then_zeros_lasting_at_least_two_milliseconds_at_115200() {
        byte[] wake = Pn532Encoder.hsuWakeUp();
        assertThat(wake).startsWith(0x55, 0x55);
        assertThat(java.util.Arrays.copyOfRange(wake, 2, wake.length)).containsOnly(0);
        // 10 bit times per byte at 8N1: 24 bytes = 2.08 ms, 23 would be 1.997 ms.
        assertThat(wake).hasSize(24);
        assertThat(Pn532Encoder.wakeUp(9600, java.time.Duration.ofMillis(2))).hasSize(2);
    }

    @Test
    void response_code_is_the_command_code_plus_one() {
        assertThat(Pn532Command.GET_FIRMWARE_VERSION.responseCode()).isEqualTo(0x03);
        assertThat(Pn532Command.IN_LIST_PASSIVE_TARGET.responseCode()).isEqualTo(0x4B);
        assertThat(Pn532Command.ofCode(0x52)).contains(Pn532Command.IN_RELEASE);
        assertThat(Pn532Command.ofCode(0x40)).isEmpty();
    }
}
