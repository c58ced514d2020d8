package org.campusedge.agent.sensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** No topic and no payload makes the decoder throw; every outcome is a result. */
class ReadingDecoderProperties {

    private static final ReadingDecoder DECODER = decoder(true);
    /** The same mappings, every JSON payload read through Jackson's tree: what the flat fast path must agree with. */
    private static final ReadingDecoder TREE_ONLY = decoder(false);

    private static ReadingDecoder decoder(boolean flatScan) {
        List<SensorMapping> readings = new ArrayList<>();
        List<AvailabilityMapping> availability = new ArrayList<>();
        for (SensorPreset p : List.of(SensorPreset.TASMOTA, SensorPreset.ZIGBEE2MQTT, SensorPreset.HOMIE)) {
            SensorPreset.Expansion e = p.expand("+", "room-{1}", "{1}");
            readings.addAll(e.readings());
            availability.addAll(e.availability());
        }
        readings.addAll(SensorPreset.JSON.expand("", "r", "{1}", Optional.of("json/+")).readings());
        readings.add(SensorMapping.of("plain/+", "r", "{1}", Metric.DOOR, Optional.empty()));
        return new ReadingDecoder(readings, availability, ReadingDecoder.DEFAULT_MAX_PAYLOAD_BYTES, flatScan);
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("tele/x/SENSOR", "tele/x/LWT", "zigbee2mqtt/x", "zigbee2mqtt/x/availability",
                        "homie/x/n/temperature", "homie/x/$state", "json/x", "plain/x", "#", "+/+", "$SYS/x"));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> jsonish = Arbitraries.strings()
                .withChars("{}[]\":,.0123456789-eE+NaInfityrulsONFF ENERGYPowerAM2301Temperaturecontact")
                .ofMaxLength(80).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(5000), jsonish);
    }

    @Property(tries = 2000)
    void random_topics_and_bytes_never_throw(@ForAll("topics") String topic, @ForAll("payloads") byte[] payload) {
        DecodeResult r = DECODER.decode(topic, payload, Instant.EPOCH);
        assertThat(r).isNotNull();
        if (r instanceof DecodeResult.Decoded d) {
            assertThat(d.events()).isNotEmpty();
            d.events().stream().filter(e -> e instanceof SensorEvent.Reading)
                    .map(e -> (SensorEvent.Reading) e)
                    .forEach(reading -> assertThat(reading.metric().inRange(reading.value())).isTrue());
        }
    }

    /** Field names the mappings read, and some they do not. */
    private static final List<String> KEYS = List.of("temperature", "humidity", "co2", "power", "contact", "occupancy",
            "illuminance_lux", "linkquality", "battery", "Temperature", "door", "");

    @Provide
    Arbitrary<String> flatJson() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6).map(String::valueOf),
                Arbitraries.integers().between(-500, 5000).map(String::valueOf),
                Arbitraries.of("0", "-0", "0.5", "-0.0", "1e2", "1E+2", "2.5e-3", "01", "1.", ".5", "+1", "1e", "-", "1e999",
                        "-1e999", "123456789012345678901234567890", "NaN", "-Infinity", "Infinity", "0x10", "1.5.3"),
                Arbitraries.of("\"on\"", "\"OFF\"", "\"21.5\"", "\" 7 \"", "\"abc\"", "\"\"", "\"open\"", "\"nan\"",
                        "\"a\\\"b\"", "\"\\u0031\"", "\"°\"", "\"tab\there\""),
                Arbitraries.of("true", "false", "null", "tru", "nul", "{}", "[]", "{\"a\":1}", "[1,2]", "truex"));
        Arbitrary<String> space = Arbitraries.of("", "", "", " ", "\n", "\t ", "\r\n");
        Arbitrary<String> field = net.jqwik.api.Combinators.combine(space, Arbitraries.of(KEYS), space, value, space)
                .as((a, k, b, v, c) -> a + "\"" + k + "\"" + b + ":" + c + v + a);
        Arbitrary<String> object = field.list().ofMaxSize(6).flatMap(fields -> Arbitraries.of("", " ", "x", ",", "}", "\n")
                .map(tail -> "{" + String.join(",", fields) + "}" + tail));
        // Now and then a byte cut off or a comma doubled: malformed, and both paths must say so alike.
        return object.flatMap(o -> Arbitraries.integers().between(0, 9).map(cut -> switch (cut) {
            case 0 -> o.substring(0, o.length() / 2);
            case 1 -> o.replaceFirst(",", ",,");
            case 2 -> o.replaceFirst(":", "");
            default -> o;
        }));
    }

    @Property(tries = 3000)
    void flat_json_reads_exactly_as_the_jackson_tree_does(@ForAll("flatJson") String json) {
        boolean flat = FlatJson.values(json.getBytes(StandardCharsets.UTF_8), new byte[][] {{'c', 'o', '2'}},
                new Metric[] {Metric.CO2}) != null;
        // Both paths must be well exercised: the fast one reads a good share, the tree the rest.
        net.jqwik.api.statistics.Statistics.label("read by the flat path").collect(flat)
                .coverage(c -> {
                    c.check(true).percentage(p -> p > 25);
                    c.check(false).percentage(p -> p > 25);
                });
        for (String topic : List.of("zigbee2mqtt/x", "json/x", "tele/x/SENSOR")) {
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            assertThat(DECODER.decode(topic, payload, Instant.EPOCH)).as("%s on %s", json, topic)
                    .isEqualTo(TREE_ONLY.decode(topic, payload, Instant.EPOCH));
        }
    }
}
