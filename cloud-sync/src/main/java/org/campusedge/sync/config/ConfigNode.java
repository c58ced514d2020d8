package org.campusedge.sync.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A read-only view of one mapping in a YAML configuration file that knows its own key path, so
 * every error names the key and the reason. Each node remembers which keys were read; after a
 * whole file is turned into records, {@link #rejectUnknownKeys()} reports typos such as
 * {@code readrs} instead of silently ignoring them.
 *
 * <p>Not thread-safe: a configuration is read once, on one thread, at start.
 */
public final class ConfigNode {

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String source;
    private final String path;
    private final JsonNode node;
    private final Set<String> readKeys = new LinkedHashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    private ConfigNode(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /** Parses a YAML file whose top level is a mapping. */
    public static ConfigNode parse(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "", "file not found");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static ConfigNode parse(String yaml, String source) throws ConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException(source, "", "not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(source, "", "the file is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException(source, "", "the top level must be a mapping of keys to values");
        }
        return new ConfigNode(source, "", root);
    }

    /** The key path of this node, e.g. {@code readers[1]}; empty at the top level. */
    public String path() {
        return path;
    }

    /** Where this configuration came from. */
    public String source() {
        return source;
    }

    /** Builds an error about {@code key} of this node. */
    public ConfigException error(String key, String reason) {
        return new ConfigException(source, keyPath(key), reason);
    }

    /** Builds an error about this node as a whole. */
    public ConfigException error(String reason) {
        return new ConfigException(source, path, reason);
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** A nested mapping; an absent key gives an empty node, so defaults apply below it. */
    public ConfigNode section(String key) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return adopt(new ConfigNode(source, keyPath(key), MissingNode.getInstance()));
        }
        if (!v.isObject()) {
            throw error(key, "must be a mapping of keys to values, got " + describe(v));
        }
        return adopt(new ConfigNode(source, keyPath(key), v));
    }

    /** A list of mappings; an absent key gives an empty list. */
    public List<ConfigNode> sections(String key) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(key, "must be a list, got " + describe(v));
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = keyPath(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ConfigException(source, itemPath, "must be a mapping of keys to values, got " + describe(item));
            }
            out.add(adopt(new ConfigNode(source, itemPath, item)));
        }
        return out;
    }

    public String string(String key, String defaultValue) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return defaultValue;
        }
        if (!v.isValueNode() || v.isBinary()) {
            throw error(key, "must be a single value, got " + describe(v));
        }
        return v.asText();
    }

    public String requiredString(String key) throws ConfigException {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw error(key, "is required");
        }
        return s;
    }

    public Optional<String> optionalString(String key) throws ConfigException {
        return Optional.ofNullable(string(key, null)).filter(s -> !s.isBlank());
    }

    public int integer(String key, int defaultValue, int min, int max) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return defaultValue;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || !(v.isNumber() || isIntegerText(v))) {
            throw error(key, "must be a whole number in " + min + ".." + max + ", got " + describe(v));
        }
        int i = v.isNumber() ? v.intValue() : Integer.parseInt(v.asText().trim());
        if (i < min || i > max) {
            throw error(key, "must be a whole number in " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    /** A finite decimal number, if the key is present. */
    public Optional<Double> decimal(String key) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return Optional.empty();
        }
        double d;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw error(key, "must be a number, got " + describe(v));
            }
        } else {
            throw error(key, "must be a number, got " + describe(v));
        }
        if (!Double.isFinite(d)) {
            throw error(key, "must be a finite number, got " + describe(v));
        }
        return Optional.of(d);
    }

    public boolean bool(String key, boolean defaultValue) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw error(key, "must be true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    /**
     * A duration written as a number and a unit: {@code 500ms}, {@code 2s}, {@code 5m},
     * {@code 1h}, {@code 30d}.
     */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT));
        if (!v.isTextual() || !m.matches()) {
            throw error(key, "must be a duration such as 500ms, 2s, 5m, 1h or 30d, got " + describe(v));
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error(key, "must be between " + human(min) + " and " + human(max) + ", got " + v.asText());
        }
        return d;
    }

    /** An enum value, matched case-insensitively with '-' standing for '_'. */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) throws ConfigException {
        String s = string(key, null);
        if (s == null) {
            return defaultValue;
        }
        String wanted = s.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        throw error(key, "must be one of " + allowed + ", got \"" + s + "\"");
    }

    /** A list of plain values; absent gives {@code defaultValue}; a single value counts as a list of one. */
    public List<String> stringList(String key, List<String> defaultValue) throws ConfigException {
        JsonNode v = value(key);
        if (v.isMissingNode()) {
            return defaultValue;
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw error(key, "must be a list of values, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException(source, keyPath(key) + "[" + i + "]", "must be a single value, got " + describe(item));
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    /**
     * Fails on the first key, anywhere below this node, that was never read: a misspelt or
     * misplaced key must not be silently ignored.
     */
    public void rejectUnknownKeys() throws ConfigException {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!readKeys.contains(name)) {
                    String hint = closest(name, readKeys).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
                    String known = readKeys.isEmpty() ? "" : "; known keys here: " + String.join(", ", readKeys);
                    throw error(name, "unknown key" + hint + known);
                }
            }
        }
        for (ConfigNode child : children) {
            child.rejectUnknownKeys();
        }
    }

    private JsonNode value(String key) {
        readKeys.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? MissingNode.getInstance() : v;
    }

    private ConfigNode adopt(ConfigNode child) {
        children.add(child);
        return child;
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isIntegerText(JsonNode v) {
        return v.isTextual() && v.asText().trim().matches("-?\\d{1,10}");
    }

    private static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isTextual()) {
            return "\"" + v.asText() + "\"";
        }
        return v.toString();
    }

    /** In the largest unit of the config's own syntax that divides it: 7d, not 10080m. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s == 0 || s % 60 != 0) {
            return s + "s";
        }
        long m = s / 60;
        if (m % 60 != 0) {
            return m + "m";
        }
        long h = m / 60;
        return h % 24 == 0 ? h / 24 + "d" : h + "h";
    }

    private static Optional<String> closest(String name, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= 2 ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
