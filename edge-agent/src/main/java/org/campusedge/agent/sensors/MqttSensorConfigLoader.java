package org.campusedge.agent.sensors;

import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the {@code mqtt:} section and the {@code sensors:} list of an agent YAML file. Every
 * error names the key path and the reason. The caller owns the root node and calls
 * {@link ConfigNode#rejectUnknownKeys()} on it afterwards, which also covers these sections.
 */
public final class MqttSensorConfigLoader {

    private MqttSensorConfigLoader() {
    }

    /**
     * @param mqtt     the {@code mqtt:} section ({@code root.section("mqtt")}; may be empty: defaults apply)
     * @param sensors  the {@code sensors:} items ({@code root.sections("sensors")})
     * @param deviceId the box's device id, for the default client id and status topic
     * @param roomIds  configured room ids; a fixed room of a sensor must be one of them
     * @param baseDir  relative file paths resolve against it
     */
    public static MqttSensorConfig load(ConfigNode mqtt, List<ConfigNode> sensors, String deviceId, Set<String> roomIds,
                                        Path baseDir) throws ConfigException {
        return load(mqtt, sensors, deviceId, roomIds, baseDir, false);
    }

    /**
     * As above; with {@code embeddedBroker} (a {@code broker:} section is configured) the url
     * defaults to {@code embedded}, the agent's own broker.
     */
    public static MqttSensorConfig load(ConfigNode mqtt, List<ConfigNode> sensors, String deviceId, Set<String> roomIds,
                                        Path baseDir, boolean embeddedBroker) throws ConfigException {
        URI url = url(mqtt, embeddedBroker);
        String clientId = mqtt.string("client-id", "campus-edge-" + deviceId).trim();
        if (clientId.isEmpty() || clientId.length() > 256) {
            throw mqtt.error("client-id", "must be 1..256 characters, got \"" + clientId + "\"");
        }
        Optional<String> username = mqtt.optionalString("username");
        Optional<String> password = password(mqtt, baseDir);
        if (password.isPresent() && username.isEmpty()) {
            // MQTT 3.1.1 section 3.1.2.9: a password may only be sent with a user name.
            throw mqtt.error("username", "is required when a password is set");
        }
        ConfigNode tls = mqtt.section("tls");
        Optional<Path> caFile = tls.optionalString("ca-file").map(f -> baseDir.resolve(f).normalize());
        if (caFile.isPresent()) {
            if (!"ssl".equals(url.getScheme())) {
                throw tls.error("ca-file", "applies only to an ssl:// url, but url is " + url);
            }
            if (!Files.isReadable(caFile.get())) {
                throw tls.error("ca-file", caFile.get() + " not found or not readable");
            }
            try {
                MqttOptions.trusting(caFile.get());
            } catch (IllegalStateException e) {
                throw tls.error("ca-file", e.getMessage());
            }
        }
        Duration keepAlive = mqtt.duration("keep-alive", Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1));
        String statusTopic = mqtt.string("status-topic", "campus-edge/" + deviceId + "/status");
        if (statusTopic.isEmpty() || statusTopic.contains("+") || statusTopic.contains("#")) {
            throw mqtt.error("status-topic", "must be a topic name without wildcards, got \"" + statusTopic + "\"");
        }
        int maxPayload = mqtt.integer("max-payload-bytes", ReadingDecoder.DEFAULT_MAX_PAYLOAD_BYTES, 64, 1 << 20);

        List<SensorMapping> readings = new ArrayList<>();
        List<AvailabilityMapping> availability = new ArrayList<>();
        for (ConfigNode n : sensors) {
            sensor(n, roomIds, readings, availability);
        }
        return new MqttSensorConfig(url, clientId, username, password, caFile, keepAlive, statusTopic, maxPayload,
                readings, availability);
    }

    private static URI url(ConfigNode mqtt, boolean embeddedBroker) throws ConfigException {
        String s = mqtt.string("url", embeddedBroker ? "embedded" : "tcp://127.0.0.1:1883").trim();
        if (s.equals("embedded")) {
            if (!embeddedBroker) {
                throw mqtt.error("url", "embedded needs a broker: section (the agent's own MQTT broker)");
            }
            return MqttSensorConfig.EMBEDDED;
        }
        try {
            URI u = new URI(s);
            if (!"tcp".equals(u.getScheme()) && !"ssl".equals(u.getScheme())) {
                throw mqtt.error("url", "must start with tcp:// or ssl:// (or be embedded), got \"" + s + "\"");
            }
            if (u.getHost() == null) {
                throw mqtt.error("url", "must name a host, such as tcp://127.0.0.1:1883, got \"" + s + "\"");
            }
            return u;
        } catch (URISyntaxException e) {
            throw mqtt.error("url", "not a valid URL: " + e.getMessage());
        }
    }

    private static Optional<String> password(ConfigNode mqtt, Path baseDir) throws ConfigException {
        Optional<String> inline = mqtt.optionalString("password");
        Optional<String> file = mqtt.optionalString("password-file");
        if (inline.isPresent() && file.isPresent()) {
            throw mqtt.error("password-file", "give either password or password-file, not both");
        }
        if (file.isEmpty()) {
            return inline;
        }
        Path p = baseDir.resolve(file.get()).normalize();
        try {
            String secret = Files.readString(p).strip();
            if (secret.isEmpty()) {
                throw mqtt.error("password-file", p + " is empty");
            }
            return Optional.of(secret);
        } catch (IOException e) {
            throw mqtt.error("password-file", "cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void sensor(ConfigNode n, Set<String> roomIds, List<SensorMapping> readings,
                               List<AvailabilityMapping> availability) throws ConfigException {
        String room = n.requiredString("room");
        if (!room.contains("{") && !roomIds.contains(room)) {
            throw n.error("room", "no room with id \"" + room + "\" (known: " + String.join(", ", roomIds) + ")");
        }
        SensorPreset preset = n.enumValue("preset", SensorPreset.class, null);
        try {
            if (preset != null) {
                Optional<String> topic = n.optionalString("topic");
                String device = preset == SensorPreset.JSON ? n.string("device", "") : n.requiredString("device");
                if (preset == SensorPreset.JSON && topic.isEmpty()) {
                    throw n.error("topic", "is required for the json preset (e.g. lab/+/env)");
                }
                String defaultSensor = device.equals("+") || device.isEmpty() ? "{1}" : device;
                SensorPreset.Expansion e = preset.expand(device, room, n.string("sensor", defaultSensor), topic);
                readings.addAll(e.readings());
                availability.addAll(e.availability());
                return;
            }
            TopicFilter filter = filter(n);
            String metricName = n.requiredString("metric");
            Metric metric = Metric.fromWireName(metricName).orElseThrow(() -> n.error("metric", "must be one of "
                    + Arrays.stream(Metric.values()).map(Metric::wireName).collect(Collectors.joining(", "))
                    + ", got \"" + metricName + "\""));
            readings.add(new SensorMapping(filter, room, n.requiredString("sensor"), metric,
                    n.string("unit", metric.unit()), n.optionalString("json-path"), scale(n),
                    n.bool("invert", false), false));
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    private static TopicFilter filter(ConfigNode n) throws ConfigException {
        String topic = n.requiredString("topic");
        try {
            return TopicFilter.of(topic);
        } catch (IllegalArgumentException e) {
            throw n.error("topic", e.getMessage());
        }
    }

    private static double scale(ConfigNode n) throws ConfigException {
        String s = n.string("scale", "1").trim();
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d) || d == 0) {
                throw n.error("scale", "must be a finite, non-zero number, got " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw n.error("scale", "must be a number such as 0.001, got \"" + s + "\"");
        }
    }
}
