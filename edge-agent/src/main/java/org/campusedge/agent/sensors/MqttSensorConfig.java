package org.campusedge.agent.sensors;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code mqtt:} and {@code sensors:} sections of the agent configuration, validated by
 * {@link MqttSensorConfigLoader}.
 *
 * @param url             broker, {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId        MQTT client identifier
 * @param username        user name, if the broker wants one
 * @param password        password (from {@code password} or {@code password-file})
 * @param caFile          PEM CA certificate(s) trusted for {@code ssl://}; empty uses the JVM's trust store
 * @param keepAlive       MQTT keep-alive interval
 * @param statusTopic     where the agent publishes retained online/offline (its last will)
 * @param maxPayloadBytes payloads longer than this are rejected unread
 * @param readings        reading mappings, presets expanded
 * @param availability    availability mappings, presets expanded
 */
public record MqttSensorConfig(URI url, String clientId, Optional<String> username, Optional<String> password,
                               Optional<Path> caFile, Duration keepAlive, String statusTopic, int maxPayloadBytes,
                               List<SensorMapping> readings, List<AvailabilityMapping> availability) {

    public MqttSensorConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(statusTopic, "statusTopic");
        readings = List.copyOf(readings);
        availability = List.copyOf(availability);
    }

    /** The url meaning "the agent's own embedded broker", resolved to its address at start. */
    public static final URI EMBEDDED = URI.create("embedded:broker");

    public boolean usesEmbeddedBroker() {
        return url.equals(EMBEDDED);
    }

    /** The same configuration with another broker address. */
    public MqttSensorConfig withUrl(URI other) {
        return new MqttSensorConfig(other, clientId, username, password, caFile, keepAlive, statusTopic, maxPayloadBytes,
                readings, availability);
    }

    /** Every distinct topic filter the ingest subscribes to, in configuration order. */
    public List<String> subscriptions() {
        return java.util.stream.Stream.concat(readings.stream().map(SensorMapping::filter),
                        availability.stream().map(AvailabilityMapping::filter))
                .map(TopicFilter::filter).distinct().toList();
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "MqttSensorConfig[url=" + url + ", clientId=" + clientId + ", username=" + username.orElse("")
                + ", password=" + (password.isPresent() ? "***" : "") + ", caFile=" + caFile.map(Path::toString).orElse("")
                + ", keepAlive=" + keepAlive + ", statusTopic=" + statusTopic + ", maxPayloadBytes=" + maxPayloadBytes
                + ", readings=" + readings.size() + ", availability=" + availability.size() + "]";
    }
}
