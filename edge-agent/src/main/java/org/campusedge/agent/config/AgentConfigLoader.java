package org.campusedge.agent.config;

import org.campusedge.agent.access.AccessPolicy;
import org.campusedge.agent.access.Direction;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.campusedge.sync.uplink.TrustedCertificates;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates an agent YAML file. Every key is documented in
 * {@code deploy-scripts/config/agent.example.yaml}; every error names the key and the reason.
 */
public final class AgentConfigLoader {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Raspberry Pi header GPIOs usable for outputs are BCM 2..27. */
    private static final int MIN_PIN = 2;
    private static final int MAX_PIN = 27;
    private static final List<Integer> STANDARD_BAUD =
            List.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600);

    private AgentConfigLoader() {
    }

    public static AgentConfig load(Path file) throws ConfigException {
        ConfigNode root = ConfigNode.parse(file);
        Path base = file.toAbsolutePath().getParent();
        return read(root, base);
    }

    /** Parses YAML text; relative paths resolve against {@code baseDir}. */
    public static AgentConfig parse(String yaml, String source, Path baseDir) throws ConfigException {
        return read(ConfigNode.parse(yaml, source), baseDir);
    }

    private static AgentConfig read(ConfigNode root, Path baseDir) throws ConfigException {
        ConfigNode device = root.section("device");
        String deviceId = id(device, "id", true);
        String school = device.requiredString("school");
        ZoneId zone = zone(device);

        List<RoomConfig> rooms = rooms(root);
        List<ReaderConfig> readers = readers(root, rooms, baseDir);
        GpioConfig gpio = new GpioConfig(root.section("gpio").enumValue("provider", GpioConfig.Provider.class,
                GpioConfig.Provider.MOCK));
        StorageConfig storage = storage(root.section("storage"), baseDir);
        SyncConfig sync = sync(root.section("sync"), baseDir);
        HttpConfig httpConfig = HttpConfigLoader.read(root.section("http"), baseDir);
        Optional<org.campusedge.agent.broker.EmbeddedBrokerConfig> broker = root.has("broker")
                ? Optional.of(org.campusedge.agent.broker.EmbeddedBrokerConfig.read(root.section("broker")))
                : Optional.empty();
        Optional<org.campusedge.agent.sensors.MqttSensorConfig> sensors = Optional.empty();
        if (root.has("mqtt") || root.has("sensors")) {
            Set<String> sensorRooms = new HashSet<>();
            rooms.forEach(r -> sensorRooms.add(r.id()));
            sensors = Optional.of(org.campusedge.agent.sensors.MqttSensorConfigLoader.load(root.section("mqtt"),
                    root.sections("sensors"), deviceId, sensorRooms, baseDir, broker.isPresent()));
        }
        AccessPolicy access = AccessConfigLoader.load(root.section("access"), rooms);
        OccupancyConfig occupancy = occupancy(root.section("occupancy"));
        Set<String> roomIds = new java.util.LinkedHashSet<>();
        rooms.forEach(r -> roomIds.add(r.id()));
        List<org.campusedge.agent.alarms.AlarmRule> alarms =
                org.campusedge.agent.alarms.AlarmRules.read(root.sections("alarms"), roomIds);
        Optional<org.campusedge.agent.privacy.CardPseudonymiser> privacy = privacy(root.section("privacy"), baseDir);
        root.rejectUnknownKeys();
        return new AgentConfig(deviceId, school, zone, rooms, readers, gpio, storage, sync, httpConfig, sensors,
                access, occupancy, alarms, broker, privacy);
    }

    private static ZoneId zone(ConfigNode device) throws ConfigException {
        String z = device.string("time-zone", ZoneId.systemDefault().getId());
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw device.error("time-zone", "not a known time zone such as Asia/Shanghai, got \"" + z + "\"");
        }
    }

    private static List<RoomConfig> rooms(ConfigNode root) throws ConfigException {
        List<ConfigNode> nodes = root.sections("rooms");
        if (nodes.isEmpty()) {
            throw root.error("rooms", "at least one room is required");
        }
        List<RoomConfig> rooms = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigNode n : nodes) {
            String id = id(n, "id", true);
            if (!ids.add(id)) {
                throw n.error("id", "duplicate room id \"" + id + "\"");
            }
            rooms.add(new RoomConfig(id, n.string("name", id), n.enumValue("type", RoomType.class, RoomType.OTHER),
                    n.integer("capacity", 30, 0, 10_000), localTime(n, "close-at")));
        }
        return rooms;
    }

    private static OccupancyConfig occupancy(ConfigNode n) throws ConfigException {
        Optional<java.time.LocalTime> closeAt = n.has("close-at") && n.string("close-at", "").equalsIgnoreCase("never")
                ? Optional.empty()
                : Optional.of(localTime(n, "close-at").orElse(OccupancyConfig.DEFAULTS.closeAt().orElseThrow()));
        double standby = n.decimal("standby-watts").orElse(OccupancyConfig.DEFAULTS.standbyWatts());
        if (standby < 0 || standby > 100_000) {
            throw n.error("standby-watts", "must be within 0..100000 W, got " + standby);
        }
        Duration every = n.duration("snapshot-every", OccupancyConfig.DEFAULTS.snapshotEvery(), Duration.ofSeconds(5),
                Duration.ofHours(1));
        return new OccupancyConfig(closeAt, standby, every);
    }

    /** A local time of day written HH:MM. */
    private static Optional<java.time.LocalTime> localTime(ConfigNode n, String key) throws ConfigException {
        Optional<String> s = n.optionalString(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (!s.get().trim().matches("\\d{1,2}:\\d{2}")) {
            throw n.error(key, "must be a time of day HH:MM such as 22:00, got \"" + s.get() + "\"");
        }
        try {
            return Optional.of(java.time.LocalTime.parse(s.get().trim().length() == 4 ? "0" + s.get().trim() : s.get().trim()));
        } catch (java.time.format.DateTimeParseException e) {
            throw n.error(key, "must be a time of day HH:MM such as 22:00, got \"" + s.get() + "\"");
        }
    }

    private static java.util.Optional<SecureChannelConfig> secureChannel(ConfigNode n, Path baseDir) throws ConfigException {
        if (!n.has("key-file") && !n.has("install-mode")) {
            return java.util.Optional.empty();
        }
        Path keyFile = baseDir.resolve(n.requiredString("key-file")).normalize();
        boolean install = n.bool("install-mode", false);
        if (!install) {
            if (!Files.isRegularFile(keyFile)) {
                throw n.error("key-file", keyFile + " not found; provision the reader once with install-mode: true");
            }
            try {
                String hex = Files.readString(keyFile).trim();
                if (!hex.matches("[0-9A-Fa-f]{32}")) {
                    throw n.error("key-file", keyFile + " must hold 32 hex digits (a 16-byte key)");
                }
            } catch (IOException e) {
                throw n.error("key-file", "cannot read " + keyFile + ": " + e.getMessage());
            }
        }
        return java.util.Optional.of(new SecureChannelConfig(keyFile, install));
    }

    private static List<ReaderConfig> readers(ConfigNode root, List<RoomConfig> rooms, Path baseDir) throws ConfigException {
        Set<String> roomIds = new HashSet<>();
        rooms.forEach(r -> roomIds.add(r.id()));
        List<ReaderConfig> readers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, List<ReaderConfig>> ports = new HashMap<>();
        Map<Integer, String> pins = new HashMap<>();
        for (ConfigNode n : root.sections("readers")) {
            String id = id(n, "id", true);
            if (!ids.add(id)) {
                throw n.error("id", "duplicate reader id \"" + id + "\"");
            }
            ReaderProtocol protocol = n.enumValue("protocol", ReaderProtocol.class, null);
            if (protocol == null) {
                throw n.error("protocol", "is required (one of: rdm6300, osdp, pn532, wiegand)");
            }
            java.util.Optional<WiegandInput> wiegand = protocol == ReaderProtocol.WIEGAND
                    ? java.util.Optional.of(wiegand(n, pins, id)) : java.util.Optional.empty();
            String port = protocol.serial() ? n.requiredString("port")
                    : "gpio:" + wiegand.get().d0Pin() + "," + wiegand.get().d1Pin();
            int baud = protocol.serial() ? n.integer("baud", protocol.defaultBaud(), 1200, 921_600) : 0;
            if (protocol.serial() && !STANDARD_BAUD.contains(baud)) {
                throw n.error("baud", "must be a standard rate (" + STANDARD_BAUD.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + "), got " + baud);
            }
            OptionalInt address = OptionalInt.empty();
            if (protocol == ReaderProtocol.OSDP) {
                if (!n.has("address")) {
                    throw n.error("address", "is required for an OSDP reader (its bus address, 0..126)");
                }
                address = OptionalInt.of(n.integer("address", 0, 0, 0x7E));
            }
            if (protocol.serial()) {
                sharePort(n, ports, new ReaderConfig(id, protocol, port, baud, "", "", address, OptionalInt.empty(),
                        OptionalInt.empty(), Duration.ZERO, java.util.Optional.empty(), OptionalInt.empty(),
                        java.util.Optional.empty()));
            }
            String room = n.requiredString("room");
            if (!roomIds.contains(room)) {
                throw n.error("room", "no room with id \"" + room + "\" (known: " + String.join(", ", roomIds) + ")");
            }
            OptionalInt relay = pin(n, "relay-pin", pins, id);
            OptionalInt led = pin(n, "led-pin", pins, id);
            OptionalInt buzzer = pin(n, "buzzer-pin", pins, id);
            Duration pulse = n.duration("relay-pulse", Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofSeconds(60));
            java.util.Optional<SecureChannelConfig> secure = protocol == ReaderProtocol.OSDP
                    ? secureChannel(n.section("secure-channel"), baseDir) : java.util.Optional.empty();
            readers.add(new ReaderConfig(id, protocol, port, baud, room, n.string("door", "main"), address, relay, led, pulse,
                    secure, buzzer, wiegand, n.enumValue("direction", Direction.class, Direction.IN)));
        }
        return readers;
    }

    /**
     * A serial port belongs to one reader, except an RS-485 bus, which OSDP readers share at the same
     * speed with distinct addresses.
     */
    private static void sharePort(ConfigNode n, Map<String, List<ReaderConfig>> ports, ReaderConfig reader)
            throws ConfigException {
        List<ReaderConfig> onPort = ports.computeIfAbsent(reader.port(), k -> new ArrayList<>());
        for (ReaderConfig other : onPort) {
            if (reader.protocol() != ReaderProtocol.OSDP || other.protocol() != ReaderProtocol.OSDP) {
                throw n.error("port", "port " + reader.port() + " is already used by reader \"" + other.id()
                        + "\" (only OSDP readers may share a bus)");
            }
            if (other.baud() != reader.baud()) {
                throw n.error("baud", "the OSDP bus on " + reader.port() + " runs at " + other.baud() + " (reader \""
                        + other.id() + "\"); every reader on a bus uses the same speed");
            }
            if (other.address().equals(reader.address())) {
                throw n.error("address", "address " + reader.address().getAsInt() + " on " + reader.port()
                        + " is already used by reader \"" + other.id() + "\"");
            }
        }
        onPort.add(reader);
    }

    private static WiegandInput wiegand(ConfigNode n, Map<Integer, String> pins, String id) throws ConfigException {
        for (String key : List.of("d0-pin", "d1-pin")) {
            if (!n.has(key)) {
                throw n.error(key, "is required for a Wiegand reader (BCM pin, through a 5 V to 3.3 V level shifter)");
            }
        }
        int d0 = pin(n, "d0-pin", pins, id).getAsInt();
        int d1 = pin(n, "d1-pin", pins, id).getAsInt();
        java.util.Set<org.campusedge.bridge.wiegand.WiegandFormat> formats = new java.util.HashSet<>();
        for (String f : n.stringList("formats", List.of("h10301", "h10306", "raw"))) {
            try {
                formats.add(org.campusedge.bridge.wiegand.WiegandFormat.ofWireName(f.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw n.error("formats", "unknown format \"" + f + "\" (known: h10301, h10306, raw)");
            }
        }
        org.campusedge.bridge.wiegand.UidByteOrder order;
        String byteOrder = n.string("byte-order", "as-sent");
        try {
            order = org.campusedge.bridge.wiegand.UidByteOrder.ofConfigName(byteOrder);
        } catch (IllegalArgumentException e) {
            throw n.error("byte-order", "must be as-sent or reversed, got \"" + byteOrder + "\"");
        }
        return new WiegandInput(d0, d1, formats, order,
                n.duration("inter-bit-timeout", Duration.ofMillis(25), Duration.ofMillis(5), Duration.ofSeconds(1)));
    }

    private static OptionalInt pin(ConfigNode n, String key, Map<Integer, String> used, String readerId)
            throws ConfigException {
        if (!n.has(key)) {
            n.string(key, null);
            return OptionalInt.empty();
        }
        int pin = n.integer(key, -1, MIN_PIN, MAX_PIN);
        String other = used.putIfAbsent(pin, readerId + "." + key);
        if (other != null) {
            throw n.error(key, "GPIO " + pin + " is already used by " + other);
        }
        return OptionalInt.of(pin);
    }

    private static StorageConfig storage(ConfigNode n, Path baseDir) throws ConfigException {
        Path path = baseDir.resolve(n.string("path", "journal.db")).normalize();
        StorageConfig.Durability durability = n.enumValue("durability", StorageConfig.Durability.class,
                StorageConfig.Durability.FULL);
        Duration window = n.duration("group-commit-window", Duration.ofMillis(2), Duration.ZERO, Duration.ofSeconds(1));
        // A writer that fell behind catches up in commits this big, each paying one fsync: 2,000
        // capped a 20 ms fsync at about 60,000 events/s, below what MQTT ingest brings in.
        int maxBatch = n.integer("max-batch", 8_000, 1, 100_000);
        StorageConfig.Retention d = StorageConfig.Retention.DEFAULTS;
        ConfigNode r = n.section("retention");
        StorageConfig.Retention retention = new StorageConfig.Retention(
                r.duration("readings", d.readings(), Duration.ofHours(1), Duration.ofDays(3650)),
                // At least a week: the dashboard's week charts are drawn from the aggregates.
                r.duration("aggregates", d.aggregates(), Duration.ofDays(7), Duration.ofDays(3650)),
                r.duration("priority", d.priority(), Duration.ofHours(1), Duration.ofDays(3650)),
                byteSize(n, "disk-budget", d.diskBudgetBytes(), 1L << 20, 1L << 40),
                r.duration("interval", d.interval(), Duration.ofSeconds(10), Duration.ofHours(24)));
        Duration grace = n.duration("aggregate-grace", StorageConfig.DEFAULT_AGGREGATE_GRACE, Duration.ZERO,
                Duration.ofMinutes(10));
        return new StorageConfig(path, durability, window, maxBatch, retention, grace);
    }

    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,13})\\s*(b|kb|mb|gb|tb)");

    /** A size written as a whole number and a unit, B, KB, MB, GB or TB (binary: 1 KB = 1024 B). */
    static long byteSize(ConfigNode n, String key, long defaultValue, long min, long max) throws ConfigException {
        Optional<String> raw = n.optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        java.util.regex.Matcher m = BYTE_SIZE.matcher(raw.get().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw n.error(key, "must be a size such as 512MB or 2GB, got \"" + raw.get() + "\"");
        }
        int shift = switch (m.group(2)) {
            case "b" -> 0;
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            default -> 40;
        };
        long n0 = Long.parseLong(m.group(1));
        if (n0 > (Long.MAX_VALUE >> shift)) {
            throw n.error(key, "is too large, got " + raw.get());
        }
        long bytes = n0 << shift;
        if (bytes < min || bytes > max) {
            throw n.error(key, "must be between " + (min >> 20) + "MB and " + (max >> 30) + "GB, got " + raw.get());
        }
        return bytes;
    }

    private static SyncConfig sync(ConfigNode n, Path baseDir) throws ConfigException {
        Optional<String> rawUrl = n.optionalString("url");
        Optional<URI> url = rawUrl.isPresent() ? Optional.of(url(n, rawUrl.get())) : Optional.empty();
        String token = n.string("token", "");
        Optional<String> tokenFile = n.optionalString("token-file");
        if (tokenFile.isPresent()) {
            if (!token.isEmpty()) {
                throw n.error("token-file", "set either token or token-file, not both");
            }
            token = readToken(n, baseDir.resolve(tokenFile.get()));
        }
        if (url.isPresent()) {
            if (token.isBlank()) {
                throw n.error("token", "is required when sync.url is set (or use token-file)");
            }
        }
        Duration minBackoff = n.duration("min-backoff", Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMinutes(5));
        Duration maxBackoff = n.duration("max-backoff", Duration.ofMinutes(2), Duration.ofMillis(10), Duration.ofHours(1));
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw n.error("max-backoff", "must not be shorter than min-backoff");
        }
        Optional<Path> caFile = n.optionalString("ca-file").map(f -> baseDir.resolve(f).normalize());
        if (caFile.isPresent()) {
            if (url.isEmpty() || !"https".equalsIgnoreCase(url.get().getScheme())) {
                throw n.error("ca-file", "applies only to an https:// url, but url is " + url.map(URI::toString).orElse("not set"));
            }
            try {
                TrustedCertificates.trustOnly(caFile.get());
            } catch (IllegalArgumentException e) {
                throw n.error("ca-file", e.getMessage());
            }
        }
        return new SyncConfig(url, token, n.integer("batch-size", 500, 1, 10_000),
                n.duration("poll-interval", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofHours(1)),
                minBackoff, maxBackoff,
                n.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10)),
                caFile, n.integer("gzip-min-bytes", 1024, 0, 64 * 1024 * 1024), downlink(n.section("downlink")));
    }

    private static SyncConfig.Downlink downlink(ConfigNode d) throws ConfigException {
        SyncConfig.Downlink defaults = SyncConfig.Downlink.DEFAULTS;
        return new SyncConfig.Downlink(d.bool("enabled", defaults.enabled()),
                d.duration("wait", defaults.longPoll(), Duration.ZERO, Duration.ofMinutes(5)),
                d.duration("interval", defaults.interval(), Duration.ofMillis(100), Duration.ofHours(24)));
    }

    private static URI url(ConfigNode n, String text) throws ConfigException {
        URI uri;
        try {
            uri = new URI(text.trim().replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw n.error("url", "not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw n.error("url", "must be an http:// or https:// URL with a host, got \"" + text + "\"");
        }
        return uri;
    }

    /**
     * {@code privacy: {pseudonymise: [card], key-file: city.key}}: the fields replaced by a keyed hash
     * in what is sent to the city, and the city-wide key (64+ hex digits, e.g. from
     * {@code openssl rand -hex 32}).
     */
    private static Optional<org.campusedge.agent.privacy.CardPseudonymiser> privacy(ConfigNode n, Path baseDir)
            throws ConfigException {
        List<String> fields = n.stringList("pseudonymise", List.of());
        if (fields.isEmpty()) {
            if (n.has("key-file")) {
                n.string("key-file", "");
                throw n.error("pseudonymise", "key-file is set but no field is named; use pseudonymise: [card]");
            }
            return Optional.empty();
        }
        for (String f : fields) {
            if (!f.equals("card") && !f.equals("person")) {
                throw n.error("pseudonymise", "fields are card and person, got \"" + f + "\"");
            }
        }
        Path file = baseDir.resolve(n.requiredString("key-file")).normalize();
        String hex;
        try {
            hex = Files.readString(file).trim();
        } catch (IOException e) {
            throw n.error("key-file", "cannot read " + file + ": " + e.getMessage());
        }
        if (!hex.matches("(?:[0-9A-Fa-f]{2}){32,}")) {
            throw n.error("key-file", file + " must hold at least 64 hex digits (openssl rand -hex 32)");
        }
        return Optional.of(new org.campusedge.agent.privacy.CardPseudonymiser(java.util.HexFormat.of().parseHex(hex),
                new java.util.LinkedHashSet<>(fields)));
    }

    private static String readToken(ConfigNode n, Path file) throws ConfigException {
        try {
            String t = Files.readString(file).trim();
            if (t.isEmpty()) {
                throw n.error("token-file", file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw n.error("token-file", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String id(ConfigNode n, String key, boolean required) throws ConfigException {
        String v = required ? n.requiredString(key) : n.string(key, null);
        if (v != null && !ID.matcher(v).matches()) {
            throw n.error(key, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, got \""
                    + v + "\"");
        }
        return v;
    }
}
