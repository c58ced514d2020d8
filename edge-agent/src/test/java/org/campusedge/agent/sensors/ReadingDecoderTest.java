package org.campusedge.agent.sensors;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingDecoderTest {

    private static final Instant AT = Instant.parse("2026-03-02T08:15:00Z");

    private final ReadingDecoder decoder = new ReadingDecoder(List.of(
            SensorMapping.of("lab/+/temperature", "robotics-1", "{1}", Metric.TEMPERATURE, Optional.empty()),
            SensorMapping.of("lab/+/json", "robotics-1", "{1}", Metric.CO2, Optional.of("co2")),
            SensorMapping.of("lab/+/lamp", "studio-1", "{1}", Metric.ON_AIR, Optional.empty()),
            new SensorMapping(TopicFilter.of("lab/+/milliwatts"), "maker-1", "{1}", Metric.POWER, "W",
                    Optional.of("ENERGY.Power"), 0.001, false, false)),
            List.of(AvailabilityMapping.of("lab/+/status", "robotics-1", "{1}")), 64);

    private DecodeResult decode(String topic, String payload) {
        return decoder.decode(topic, payload.getBytes(StandardCharsets.UTF_8), AT);
    }

    private RejectReason reason(DecodeResult r) {
        assertThat(r).isInstanceOf(DecodeResult.Rejected.class);
        return ((DecodeResult.Rejected) r).rejection().reason();
    }

    @Test
    void decodes_a_plain_number_with_the_sensor_id_taken_from_the_topic() {
        DecodeResult r = decode("lab/t-1/temperature", " 21.5\n");
        assertThat(((DecodeResult.Decoded) r).events()).containsExactly(
                new SensorEvent.Reading("robotics-1", "t-1", Metric.TEMPERATURE, 21.5, "°C", "lab/t-1/temperature", AT));
    }

    @Test
    void applies_the_scale_and_reads_nested_json_paths() {
        DecodeResult r = decode("lab/printer/milliwatts", "{\"ENERGY\":{\"Power\":152000}}");
        assertThat(((DecodeResult.Decoded) r).events()).extracting("value").containsExactly(152.0);
    }

    @Test
    void on_off_words_become_zero_and_one_for_binary_metrics() {
        assertThat(((DecodeResult.Decoded) decode("lab/l/lamp", "ON")).events()).extracting("value").containsExactly(1.0);
        assertThat(((DecodeResult.Decoded) decode("lab/l/lamp", "off")).events()).extracting("value").containsExactly(0.0);
        assertThat(reason(decode("lab/l/lamp", "0.5"))).isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void rejects_unknown_topic() {
        assertThat(reason(decode("elsewhere/t-1/temperature", "21"))).isEqualTo(RejectReason.UNKNOWN_TOPIC);
        assertThat(decoder.rejected(RejectReason.UNKNOWN_TOPIC)).isEqualTo(1);
    }

    @Test
    void rejects_oversize_payload_before_decoding_it() {
        byte[] big = new byte[65];
        Arrays.fill(big, (byte) 0xFF);
        // Invalid UTF-8 too, but the size check comes first.
        assertThat(reason(decoder.decode("lab/t-1/temperature", big, AT))).isEqualTo(RejectReason.OVERSIZE);
    }

    @Test
    void rejects_invalid_utf8_rather_than_substituting_replacement_characters() {
        byte[] bad = {'2', '1', (byte) 0xC3, '.'};
        assertThat(reason(decoder.decode("lab/t-1/temperature", bad, AT))).isEqualTo(RejectReason.INVALID_UTF8);
        assertThat(decoder.rejected(RejectReason.INVALID_UTF8)).isEqualTo(1);
    }

    @Test
    void rejects_malformed_json_including_trailing_garbage() {
        assertThat(reason(decode("lab/c/json", "{\"co2\":"))).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(reason(decode("lab/c/json", "{\"co2\":500} trailing"))).isEqualTo(RejectReason.MALFORMED_JSON);
        assertThat(reason(decode("lab/c/json", ""))).isEqualTo(RejectReason.MALFORMED_JSON);
    }

    @Test
    void rejects_missing_or_null_field() {
        assertThat(reason(decode("lab/c/json", "{\"temperature\":20}"))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(decode("lab/c/json", "{\"co2\":null}"))).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(decoder.rejected(RejectReason.MISSING_FIELD)).isEqualTo(2);
    }

    @Test
    void rejects_values_that_are_not_numbers() {
        assertThat(reason(decode("lab/t-1/temperature", "warm"))).isEqualTo(RejectReason.NOT_NUMERIC);
        assertThat(reason(decode("lab/t-1/temperature", "0x1p3"))).isEqualTo(RejectReason.NOT_NUMERIC);
        assertThat(reason(decode("lab/t-1/temperature", "true"))).isEqualTo(RejectReason.NOT_NUMERIC);
        assertThat(reason(decode("lab/c/json", "{\"co2\":{\"ppm\":5}}"))).isEqualTo(RejectReason.NOT_NUMERIC);
        assertThat(reason(decode("lab/c/json", "{\"co2\":true}"))).isEqualTo(RejectReason.NOT_NUMERIC);
    }

    @Test
    void rejects_nan_and_infinity_in_plain_text_and_in_json() {
        assertThat(reason(decode("lab/t-1/temperature", "NaN"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(reason(decode("lab/t-1/temperature", "-Infinity"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(reason(decode("lab/t-1/temperature", "1e400"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(reason(decode("lab/c/json", "{\"co2\":NaN}"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(reason(decode("lab/c/json", "{\"co2\":Infinity}"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(reason(decode("lab/c/json", "{\"co2\":\"nan\"}"))).isEqualTo(RejectReason.NOT_FINITE);
        assertThat(decoder.rejected(RejectReason.NOT_FINITE)).isEqualTo(6);
    }

    @Test
    void rejects_values_outside_the_physical_range() {
        assertThat(reason(decode("lab/t-1/temperature", "-41"))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(reason(decode("lab/t-1/temperature", "125.5"))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(reason(decode("lab/c/json", "{\"co2\":10001}"))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(decode("lab/t-1/temperature", "125")).isInstanceOf(DecodeResult.Decoded.class);
    }

    @Test
    void availability_topics_give_online_and_offline_events() {
        DecodeResult r = decode("lab/t-1/status", "offline");
        assertThat(((DecodeResult.Decoded) r).events()).containsExactly(
                new SensorEvent.Availability("robotics-1", "t-1", false, "offline", "lab/t-1/status", AT));
        assertThat(reason(decode("lab/t-1/status", ""))).isEqualTo(RejectReason.MISSING_FIELD);
    }

    @Test
    void one_bad_field_does_not_discard_the_good_ones_of_the_same_message() {
        ReadingDecoder d = new ReadingDecoder(SensorPreset.TASMOTA.expand("plug", "maker-1", "plug").readings(), List.of());
        DecodeResult r = d.decode("tele/plug/SENSOR",
                "{\"ENERGY\":{\"Power\":1234},\"AM2301\":{\"Temperature\":null,\"Humidity\":180}}".getBytes(StandardCharsets.UTF_8), AT);
        DecodeResult.Decoded decoded = (DecodeResult.Decoded) r;
        assertThat(decoded.events()).extracting("metric", "value").containsExactly(org.assertj.core.groups.Tuple.tuple(Metric.POWER, 1234.0));
        assertThat(decoded.fieldRejections()).extracting("reason").containsExactly(RejectReason.OUT_OF_RANGE);
        assertThat(d.rejected(RejectReason.OUT_OF_RANGE)).isEqualTo(1);
    }

    @Test
    void a_null_topic_or_payload_is_a_rejection_not_an_exception() {
        assertThat(reason(decoder.decode(null, null, AT))).isEqualTo(RejectReason.UNKNOWN_TOPIC);
        assertThat(reason(decoder.decode("lab/t-1/temperature", null, null))).isEqualTo(RejectReason.NOT_NUMERIC);
    }
}
