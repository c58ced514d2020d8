package org.campusedge.bridge.wiegand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WiegandCodecTest {

    static List<PublishedVectors.Vector> vectors() {
        return PublishedVectors.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void published_frame_decodes_to_the_published_facility_and_card(PublishedVectors.Vector v) throws Exception {
        WiegandCard card = v.format().decode(v.frame(), UidByteOrder.AS_SENT);
        assertThat(card.format()).isEqualTo(v.format());
        assertThat(card.facilityCode()).hasValue(v.facility());
        assertThat(card.cardNumber()).hasValue(v.card());
        assertThat(card.cardId()).isEqualTo(Integer.toString(v.card()));
        assertThat(card.bitCount()).isEqualTo(v.format().bitCount().getAsInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encoding_the_published_fields_gives_the_published_bits(PublishedVectors.Vector v) {
        assertThat(WiegandEncoder.card(v.format(), v.facility(), v.card()).bitString())
                .isEqualTo(v.frame().bitString());
    }

    @Test
    void proxmark_tag_id_low_bits_are_the_26_bit_frame() {
        assertThat(PublishedVectors.PROXMARK_KRINGLECON.frame().bits()).isEqualTo(0x2006e22f13L & 0x3FFFFFFL);
        assertThat(PublishedVectors.PROXMARK_KRINGLECON.frame().hex()).isEqualTo("2E22F13");
    }

    @Test
    void seabreeze_ten_digit_number_is_facility_and_card_side_by_side() {
        PublishedVectors.Vector v = PublishedVectors.SEABREEZE_213_02000;
        assertThat(v.frame().field(1, 24)).isEqualTo(13961168L);
    }

    @Test
    void raw_uid_decodes_as_sent_or_byte_reversed() throws Exception {
        WiegandFrame frame = WiegandFrame.ofBits(PublishedVectors.HIKVISION_UID_BITS);
        assertThat(Long.parseLong(WiegandFormat.RAW.decode(frame, UidByteOrder.AS_SENT).cardId(), 16)).isEqualTo(1234567890L);
        assertThat(WiegandFormat.RAW.decode(frame, UidByteOrder.AS_SENT).cardId()).isEqualTo("499602D2");
        assertThat(WiegandFormat.RAW.decode(frame, UidByteOrder.REVERSED).cardId()).isEqualTo("D2029649");
        assertThat(WiegandFormat.RAW.decode(frame, UidByteOrder.REVERSED).facilityCode()).isEmpty();
    }

    @Test
    void seven_byte_uid_round_trips_in_both_byte_orders() throws Exception {
        byte[] uid = HexFormat.of().parseHex("04A1B2C3D4E580");
        for (UidByteOrder order : UidByteOrder.values()) {
            WiegandFrame frame = WiegandEncoder.uid(uid, order);
            assertThat(frame.bitCount()).isEqualTo(56);
            assertThat(WiegandFormat.RAW.decode(frame, order).cardId()).isEqualTo("04A1B2C3D4E580");
        }
        assertThat(WiegandEncoder.uid(uid, UidByteOrder.REVERSED).hex()).isEqualTo("80E5D4C3B2A104");
    }

    @Test
    void reversed_byte_order_needs_whole_bytes() {
        assertThatThrownBy(() -> WiegandFormat.RAW.decode(WiegandFrame.ofBits("1010101011"), UidByteOrder.REVERSED))
                .isInstanceOfSatisfying(WiegandException.class, e -> assertThat(e.reason()).isEqualTo(WiegandException.Reason.LENGTH));
    }

    @Test
    void flipped_leading_parity_is_an_even_parity_error() {
        WiegandFrame bad = PublishedVectors.PROXMARK_KRINGLECON.frame().withBitFlipped(0);
        assertThatThrownBy(() -> WiegandFormat.H10301.decode(bad, UidByteOrder.AS_SENT))
                .isInstanceOfSatisfying(WiegandException.class, e -> assertThat(e.reason()).isEqualTo(WiegandException.Reason.EVEN_PARITY));
    }

    @Test
    void flipped_card_bit_is_an_odd_parity_error() {
        WiegandFrame bad = PublishedVectors.HIKVISION_34.frame().withBitFlipped(30);
        assertThatThrownBy(() -> WiegandFormat.H10306.decode(bad, UidByteOrder.AS_SENT))
                .isInstanceOfSatisfying(WiegandException.class, e -> assertThat(e.reason()).isEqualTo(WiegandException.Reason.ODD_PARITY));
    }

    @Test
    void wrong_length_for_a_fixed_format_is_a_length_error() {
        WiegandFrame truncated = WiegandFrame.ofBits(PublishedVectors.PROXMARK_KRINGLECON.bits().substring(0, 20));
        assertThatThrownBy(() -> WiegandFormat.H10301.decode(truncated, UidByteOrder.AS_SENT))
                .isInstanceOfSatisfying(WiegandException.class, e -> assertThat(e.reason()).isEqualTo(WiegandException.Reason.LENGTH))
                .hasMessageContaining("26").hasMessageContaining("20");
    }

    @Test
    void decoder_picks_the_format_by_length_and_falls_back_to_raw() throws Exception {
        WiegandDecoder all = new WiegandDecoder(EnumSet.allOf(WiegandFormat.class), UidByteOrder.REVERSED);
        assertThat(all.decode(PublishedVectors.FLIPPER_H10301.frame()).format()).isEqualTo(WiegandFormat.H10301);
        assertThat(all.decode(PublishedVectors.HIKVISION_34.frame()).format()).isEqualTo(WiegandFormat.H10306);
        assertThat(all.decode(WiegandFrame.ofBits(PublishedVectors.HIKVISION_UID_BITS)).cardId()).isEqualTo("D2029649");
        WiegandDecoder only26 = new WiegandDecoder(EnumSet.of(WiegandFormat.H10301), UidByteOrder.AS_SENT);
        assertThatThrownBy(() -> only26.decode(PublishedVectors.HIKVISION_34.frame()))
                .isInstanceOfSatisfying(WiegandException.class, e -> assertThat(e.reason()).isEqualTo(WiegandException.Reason.LENGTH));
        assertThatThrownBy(() -> new WiegandDecoder(EnumSet.noneOf(WiegandFormat.class), UidByteOrder.AS_SENT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frame_refuses_bits_beyond_its_count_and_bad_lengths() {
        assertThatThrownBy(() -> new WiegandFrame(4, 0x10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WiegandFrame(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WiegandFrame(65, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiegandFrame.ofBits("0120")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new WiegandFrame(64, -1L).hex()).isEqualTo("FFFFFFFFFFFFFFFF");
        assertThat(WiegandFrame.ofBits("0000 1").hex()).isEqualTo("01");
    }

    @Test
    void encoder_refuses_fields_out_of_range_and_raw() {
        assertThatThrownBy(() -> WiegandEncoder.card(WiegandFormat.H10301, 256, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiegandEncoder.card(WiegandFormat.H10306, 1, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiegandEncoder.card(WiegandFormat.RAW, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WiegandEncoder.uid(new byte[9], UidByteOrder.AS_SENT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formats_and_byte_orders_are_found_by_their_configuration_names() {
        assertThat(WiegandFormat.ofWireName("H10306")).isEqualTo(WiegandFormat.H10306);
        assertThat(UidByteOrder.ofConfigName("reversed")).isEqualTo(UidByteOrder.REVERSED);
        assertThatThrownBy(() -> WiegandFormat.ofWireName("h10301")).hasMessageContaining("H10301, H10306 or RAW");
        assertThatThrownBy(() -> UidByteOrder.ofConfigName("lsb")).hasMessageContaining("as-sent or reversed");
    }
}
