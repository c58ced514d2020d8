package org.campusedge.agent.sensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the flat fast path reads itself, and what it leaves to Jackson's tree. */
class FlatJsonTest {

    private static final byte[][] KEYS = {bytes("temperature"), bytes("contact"), null, bytes("co2")};
    private static final Metric[] METRICS = {Metric.TEMPERATURE, Metric.DOOR, Metric.HUMIDITY, Metric.CO2};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PayloadValue.Result[] read(String json) {
        return FlatJson.values(bytes(json), KEYS, METRICS);
    }

    @Test
    void reads_numbers_booleans_strings_and_nulls_of_a_flat_object() {
        PayloadValue.Result[] r = read(" {\"linkquality\":87, \"temperature\" : 21.5e0,\n\"contact\":false,\"co2\":null,\"x\":\"y\"} ");
        assertThat(r[0]).isEqualTo(PayloadValue.Result.ok(21.5));
        assertThat(r[1]).isEqualTo(PayloadValue.Result.ok(0));
        assertThat(r[2]).as("a mapping that reads no field").isNull();
        assertThat(r[3]).as("JSON null is absent").isNull();
    }

    @Test
    void the_last_of_duplicate_keys_wins_and_strings_read_as_text() {
        PayloadValue.Result[] r = read("{\"temperature\":1,\"temperature\":\" 23 \",\"contact\":\"open\"}");
        assertThat(r[0]).isEqualTo(PayloadValue.Result.ok(23));
        assertThat(r[1]).isEqualTo(PayloadValue.Result.ok(1));
        assertThat(read("{}")).containsOnlyNulls();
        assertThat(read("{\"temperature\":-0}")[0].value()).isEqualTo(0.0); // integer -0 is 0, as the tree reads it
        assertThat(read("{\"temperature\":true}")[0].reason()).isEqualTo(RejectReason.NOT_NUMERIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[1]", "21.5", "{\"temperature\":{\"v\":1}}", "{\"temperature\":[1]}",
        "{\"temperature\":NaN}", "{\"temperature\":Infinity}", "{\"temperature\":01}", "{\"temperature\":1.}",
        "{\"temperature\":.5}", "{\"temperature\":+1}", "{\"temperature\":1e999}", "{\"temperature\":\"a\\\"b\"}",
        "{\"temp\\u0065rature\":1}", "{\"temperature\":\"°\"}", "{\"temperature\":1}x", "{\"temperature\":1,}",
        "{\"temperature\" 1}", "{temperature:1}", "{\"temperature\":tru}", "{\"temperature\":1", "{\"temperature\":\"1}"})
    void leaves_anything_outside_its_subset_to_the_tree(String json) {
        assertThat(read(json)).as(json).isNull();
    }
}
