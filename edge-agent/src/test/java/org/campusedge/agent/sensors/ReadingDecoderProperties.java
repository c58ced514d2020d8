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

    private static final ReadingDecoder DECODER = decoder();

    private static ReadingDecoder decoder() {
        List<SensorMapping> readings = new ArrayList<>();
        List<AvailabilityMapping> availability = new ArrayList<>();
        for (SensorPreset p : List.of(SensorPreset.TASMOTA, SensorPreset.ZIGBEE2MQTT, SensorPreset.HOMIE)) {
            SensorPreset.Expansion e = p.expand("+", "room-{1}", "{1}");
            readings.addAll(e.readings());
            availability.addAll(e.availability());
        }
        readings.addAll(SensorPreset.JSON.expand("", "r", "{1}", Optional.of("json/+")).readings());
        readings.add(SensorMapping.of("plain/+", "r", "{1}", Metric.DOOR, Optional.empty()));
        return new ReadingDecoder(readings, availability);
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
}
