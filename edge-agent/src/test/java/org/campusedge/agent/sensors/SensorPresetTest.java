package org.campusedge.agent.sensors;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Each preset decodes payloads as the devices really publish them; sources in comments. */
class SensorPresetTest {

    private static final Instant AT = Instant.parse("2026-03-02T08:15:00Z");

    private static ReadingDecoder decoder(SensorPreset.Expansion e) {
        return new ReadingDecoder(e.readings(), e.availability());
    }

    private static List<SensorEvent> events(ReadingDecoder d, String topic, String payload) {
        DecodeResult r = d.decode(topic, payload.getBytes(StandardCharsets.UTF_8), AT);
        assertThat(r).as("decode of %s", payload).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded) r).events();
    }

    @Test
    void tasmota_energy_plug_reports_power_and_total_energy() {
        ReadingDecoder d = decoder(SensorPreset.TASMOTA.expand("laser-plug", "maker-1", "laser-cutter"));
        // Sonoff POW telemetry quoted in https://github.com/arendst/Tasmota/issues/1621
        String pow = "{\"Time\":\"2018-01-17T18:59:50\",\"ENERGY\":{\"Total\":1.956,\"Yesterday\":0.054,"
                + "\"Today\":0.049,\"Period\":0,\"Power\":9,\"Factor\":0.43,\"Voltage\":231,\"Current\":0.089}}";
        assertThat(events(d, "tele/laser-plug/SENSOR", pow))
                .extracting("room", "sensor", "metric", "value", "unit")
                .containsExactlyInAnyOrder(
                        tuple("maker-1", "laser-cutter", Metric.POWER, 9.0, "W"),
                        tuple("maker-1", "laser-cutter", Metric.ENERGY, 1.956, "kWh"));
    }

    @Test
    void tasmota_climate_and_co2_probes_report_their_fields() {
        ReadingDecoder d = decoder(SensorPreset.TASMOTA.expand("+", "studio-1", "{1}"));
        // Constructed, not captured: the AM2301 and SCD30 objects as Tasmota's sensor drivers name
        // their fields in tele/<topic>/SENSOR (Temperature, Humidity, CarbonDioxide).
        assertThat(events(d, "tele/studio-env/SENSOR",
                "{\"Time\":\"2026-03-02T09:15:00\",\"AM2301\":{\"Temperature\":22.1,\"Humidity\":45.0,\"DewPoint\":9.7},\"TempUnit\":\"C\"}"))
                .extracting("sensor", "metric", "value")
                .containsExactlyInAnyOrder(tuple("studio-env", Metric.TEMPERATURE, 22.1), tuple("studio-env", Metric.HUMIDITY, 45.0));
        assertThat(events(d, "tele/co2-box/SENSOR",
                "{\"Time\":\"2026-03-02T09:15:00\",\"SCD30\":{\"CarbonDioxide\":612,\"eCO2\":598,\"Temperature\":23.4,\"Humidity\":38.2}}"))
                .extracting("sensor", "metric", "value")
                .containsExactly(tuple("co2-box", Metric.CO2, 612.0));
    }

    @Test
    void tasmota_last_will_gives_online_and_offline() {
        ReadingDecoder d = decoder(SensorPreset.TASMOTA.expand("+", "maker-1", "{1}"));
        // Tasmota's discovery config pairs "avty_t":"tele/plug001/LWT" with "pl_avail":"Online",
        // "pl_not_avail":"Offline" (console log at https://pastebin.com/XiaKgnUt).
        assertThat(events(d, "tele/plug001/LWT", "Online")).extracting("sensor", "online").containsExactly(tuple("plug001", true));
        assertThat(events(d, "tele/plug001/LWT", "Offline")).extracting("online").containsExactly(false);
    }

    @Test
    void zigbee2mqtt_state_reports_climate_occupancy_and_door_with_contact_inverted() {
        ReadingDecoder d = decoder(SensorPreset.ZIGBEE2MQTT.expand("lab-door", "robotics-1", "lab-door"));
        // zigbee2mqtt.io device pages: "contact: Indicates if the contact is closed (= true) or
        // open (= false)" (https://www.zigbee2mqtt.io/devices/SNTZ007.html).
        assertThat(events(d, "zigbee2mqtt/lab-door", "{\"battery\":100,\"contact\":false,\"linkquality\":120,\"tamper\":false,\"temperature\":21.3}"))
                .extracting("metric", "value")
                .containsExactlyInAnyOrder(tuple(Metric.DOOR, 1.0), tuple(Metric.TEMPERATURE, 21.3));
        assertThat(events(d, "zigbee2mqtt/lab-door", "{\"contact\":true}")).extracting("value").containsExactly(0.0);
        // Xiaomi MiJia WSDCGQ01LM and RTCGQ01LM examples from
        // https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html
        assertThat(events(d, "zigbee2mqtt/lab-door", "{\"temperature\": 27.34, \"humidity\": 44.72}"))
                .extracting("metric", "value")
                .containsExactlyInAnyOrder(tuple(Metric.TEMPERATURE, 27.34), tuple(Metric.HUMIDITY, 44.72));
        assertThat(events(d, "zigbee2mqtt/lab-door", "{\"occupancy\": true}")).extracting("metric", "value")
                .containsExactly(tuple(Metric.OCCUPANCY, 1.0));
        assertThat(events(d, "zigbee2mqtt/lab-door", "{\"occupancy\":true,\"illuminance_lux\":310,\"humidity\":41.5}"))
                .extracting("metric", "value")
                .containsExactlyInAnyOrder(tuple(Metric.OCCUPANCY, 1.0), tuple(Metric.ILLUMINANCE, 310.0), tuple(Metric.HUMIDITY, 41.5));
    }

    @Test
    void zigbee2mqtt_availability_in_plain_and_json_form() {
        ReadingDecoder d = decoder(SensorPreset.ZIGBEE2MQTT.expand("+", "robotics-1", "{1}"));
        // Zigbee2MQTT publishes the retained availability state to zigbee2mqtt/[FRIENDLY_NAME]/availability
        // (https://www.zigbee2mqtt.io/guide/configuration/device-availability.html): plain
        // "online"/"offline" in the legacy format, {"state":"online"} in the JSON format.
        assertThat(events(d, "zigbee2mqtt/lab-door/availability", "offline")).extracting("sensor", "online")
                .containsExactly(tuple("lab-door", false));
        assertThat(events(d, "zigbee2mqtt/lab-door/availability", "{\"state\":\"online\"}")).extracting("online")
                .containsExactly(true);
    }

    @Test
    void homie_properties_are_plain_values_and_state_is_availability() {
        ReadingDecoder d = decoder(SensorPreset.HOMIE.expand("studio-env", "studio-1", "studio-env"));
        // Homie 4.0 (https://homieiot.github.io/specification/): homie/<device>/<node>/<property>
        // carries the plain value ("21.5", "true"); homie/<device>/$state is init, ready,
        // disconnected, sleeping, lost or alert.
        assertThat(events(d, "homie/studio-env/climate/temperature", "21.5")).extracting("metric", "value")
                .containsExactly(tuple(Metric.TEMPERATURE, 21.5));
        assertThat(events(d, "homie/studio-env/lamp/on-air", "true")).extracting("metric", "value")
                .containsExactly(tuple(Metric.ON_AIR, 1.0));
        assertThat(events(d, "homie/studio-env/$state", "ready")).extracting("online").containsExactly(true);
        assertThat(events(d, "homie/studio-env/$state", "lost")).extracting("online").containsExactly(false);
    }

    @Test
    void generic_json_preset_reads_fields_named_after_metrics() {
        ReadingDecoder d = decoder(SensorPreset.JSON.expand("", "maker-1", "{1}", Optional.of("campus/maker-1/+/env")));
        assertThat(events(d, "campus/maker-1/env-3/env", "{\"temperature\":21.5,\"co2\":830,\"noise\":48.2}"))
                .extracting("sensor", "metric", "value")
                .containsExactlyInAnyOrder(tuple("env-3", Metric.TEMPERATURE, 21.5), tuple("env-3", Metric.CO2, 830.0),
                        tuple("env-3", Metric.NOISE, 48.2));
    }
}
