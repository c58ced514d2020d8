package org.campusedge.agent.sensors;

import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttSensorConfigLoaderTest {

    private static final Path BASE = Path.of("/var/lib/campus-edge");
    private static final Set<String> ROOMS = Set.of("studio-1", "maker-1", "robotics-1");

    static final String GOOD = """
            mqtt:
              url: tcp://127.0.0.1:1883
              username: edge
              password: s3cret
              keep-alive: 45s
            sensors:
              - preset: tasmota
                device: laser-plug
                room: maker-1
                sensor: laser-cutter
              - preset: zigbee2mqtt
                device: "+"
                room: robotics-1
              - preset: homie
                device: studio-env
                room: studio-1
              - preset: json
                topic: campus/maker-1/+/env
                room: maker-1
              - topic: studio/+/lamp
                room: studio-1
                sensor: "{1}"
                metric: on-air
              - topic: maker/printer-3/power
                room: maker-1
                sensor: printer-3
                metric: power
                json-path: ENERGY.Power
                scale: 0.001
            """;

    private static MqttSensorConfig parse(String yaml) throws ConfigException {
        ConfigNode root = ConfigNode.parse(yaml, "agent.yaml");
        MqttSensorConfig c = MqttSensorConfigLoader.load(root.section("mqtt"), root.sections("sensors"), "box-17", ROOMS, BASE);
        root.rejectUnknownKeys();
        return c;
    }

    @Test
    void reads_presets_and_plain_mappings_with_defaults_filled_in() throws Exception {
        MqttSensorConfig c = parse(GOOD);
        assertThat(c.url().toString()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.clientId()).isEqualTo("campus-edge-box-17");
        assertThat(c.statusTopic()).isEqualTo("campus-edge/box-17/status");
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.password()).hasValue("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.maxPayloadBytes()).isEqualTo(4096);
        assertThat(c.subscriptions()).contains("tele/laser-plug/SENSOR", "tele/laser-plug/LWT", "zigbee2mqtt/+",
                "zigbee2mqtt/+/availability", "homie/studio-env/+/temperature", "homie/studio-env/$state",
                "campus/maker-1/+/env", "studio/+/lamp", "maker/printer-3/power");
        SensorMapping power = c.readings().get(c.readings().size() - 1);
        assertThat(power.jsonPath()).isEqualTo(Optional.of("ENERGY.Power"));
        assertThat(power.scale()).isEqualTo(0.001);
        assertThat(power.unit()).isEqualTo("W");
        assertThat(c.availability()).extracting(AvailabilityMapping::sensor).contains("laser-cutter", "{1}", "studio-env");
    }

    @Test
    void an_absent_mqtt_section_gives_defaults() throws Exception {
        MqttSensorConfig c = parse("sensors: []\n");
        assertThat(c.url().toString()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.readings()).isEmpty();
        assertThat(c.username()).isEmpty();
    }

    @Test
    void reads_the_password_from_a_file() throws Exception {
        Path dir = Files.createTempDirectory("mqtt-config");
        Files.writeString(dir.resolve("mqtt.pw"), "from-file\n");
        ConfigNode root = ConfigNode.parse("mqtt: {username: edge, password-file: mqtt.pw}\n", "agent.yaml");
        MqttSensorConfig c = MqttSensorConfigLoader.load(root.section("mqtt"), root.sections("sensors"), "b", ROOMS, dir);
        assertThat(c.password()).hasValue("from-file");
    }

    private static void assertError(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).message().contains(fragments);
    }

    @Test
    void every_error_names_the_key_path() {
        assertError("mqtt: {url: http://broker}\n", "mqtt.url", "tcp:// or ssl://");
        assertError("mqtt: {password: x}\n", "mqtt.username", "required");
        assertError("mqtt: {username: u, password: x, password-file: f}\n", "mqtt.password-file", "not both");
        assertError("mqtt: {tls: {ca-file: /nonexistent.pem}}\n", "mqtt.tls.ca-file", "ssl://");
        assertError("mqtt: {url: 'ssl://b:8883', tls: {ca-file: /nonexistent.pem}}\n", "mqtt.tls.ca-file", "not found");
        assertError("mqtt: {keep-alive: 1s}\n", "mqtt.keep-alive");
        assertError("mqtt: {status-topic: 'a/#'}\n", "mqtt.status-topic", "wildcards");
        assertError("mqtt: {keep-alve: 30s}\n", "mqtt.keep-alve", "did you mean \"keep-alive\"");
        assertError("sensors: [{preset: shelly, device: d, room: maker-1}]\n", "sensors[0].preset", "tasmota");
        assertError("sensors: [{preset: tasmota, room: maker-1}]\n", "sensors[0].device", "required");
        assertError("sensors: [{preset: json, room: maker-1}]\n", "sensors[0].topic", "json preset");
        assertError("sensors: [{preset: tasmota, device: d, room: gym}]\n", "sensors[0].room", "no room with id \"gym\"");
        assertError("sensors: [{topic: 'a/b#', room: maker-1, sensor: s, metric: power}]\n", "sensors[0].topic", "'#'");
        assertError("sensors: [{topic: a/b, room: maker-1, sensor: s, metric: pressure}]\n", "sensors[0].metric", "co2");
        assertError("sensors: [{topic: a/+, room: maker-1, sensor: '{2}', metric: power}]\n", "sensors[0]", "{2}");
        assertError("sensors: [{topic: a/b, room: maker-1, sensor: s, metric: power, scale: lots}]\n", "sensors[0].scale");
        assertError("sensors: [{topic: a/b, room: maker-1, sensor: s, metric: power, invert: true}]\n", "sensors[0]", "invert");
        assertError("sensors: [{topic: a/b, room: maker-1, sensor: s, metric: power, jsonpath: x}]\n", "sensors[0].jsonpath", "unknown key");
    }
}
