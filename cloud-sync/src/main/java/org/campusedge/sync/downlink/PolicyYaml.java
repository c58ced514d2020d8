package org.campusedge.sync.downlink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a school's rooms, schedules, holidays and alarm rules for the downlink from YAML, keys
 * written as in the agent's configuration:
 *
 * <pre>{@code
 * rooms:
 *   studio-1: {capacity: 12, anti-passback: true, open-hours: [{days: [mon-fri], from: "08:00", to: "18:00"}]}
 * schedules:
 *   studio-1:
 *     - {groups: [media-club], days: [mon-fri], from: "15:30", to: "17:30"}
 * holidays:
 *   - {id: national-day, name: National Day, from: 2026-10-01, to: 2026-10-07}
 *   - {id: teachers-day, name: Teachers' Day, date: 2026-09-10}
 * alarm-rules:
 *   - {id: co2-high, kind: threshold, metric: co2, above: 1500}
 * }</pre>
 *
 * Every error names the source and the entry, e.g. {@code policy.yaml: schedules.studio-1[0]: from: "25:00" is not a time}.
 */
public final class PolicyYaml {

    /** What a file holds: the edits, and the kinds it names (replaced whole on {@code --replace}). */
    public record Parsed(List<DownlinkEdit> edits, Set<DownlinkKind> kinds) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> SECTIONS = List.of("rooms", "schedules", "holidays", "alarm-rules");

    private PolicyYaml() {
    }

    public static Parsed parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(source + ": the file is empty (expected rooms, schedules, holidays or alarm-rules)");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a mapping with rooms, schedules, holidays or alarm-rules");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!SECTIONS.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown section \"" + key + "\" (known: " + String.join(", ", SECTIONS) + ")");
            }
        }
        List<DownlinkEdit> edits = new ArrayList<>();
        Set<DownlinkKind> kinds = EnumSet.noneOf(DownlinkKind.class);
        if (root.has("rooms")) {
            kinds.add(DownlinkKind.ROOM);
            for (Map.Entry<String, JsonNode> e : entries(root.get("rooms"), source, "rooms")) {
                edits.add(edit(DownlinkKind.ROOM, e.getKey(), camel(e.getValue()), source, "rooms." + e.getKey()));
            }
        }
        if (root.has("schedules")) {
            kinds.add(DownlinkKind.SCHEDULE);
            for (Map.Entry<String, JsonNode> e : entries(root.get("schedules"), source, "schedules")) {
                ObjectNode v = JsonNodeFactory.instance.objectNode();
                v.set("rules", camel(e.getValue()));
                edits.add(edit(DownlinkKind.SCHEDULE, e.getKey(), v, source, "schedules." + e.getKey()));
            }
        }
        if (root.has("holidays")) {
            kinds.add(DownlinkKind.HOLIDAY);
            list(root.get("holidays"), source, "holidays", (n, where) -> {
                ObjectNode v = (ObjectNode) camel(n);
                String id = text(v.remove("id"), source, where + ".id");
                if (v.has("date")) {
                    if (v.has("from") || v.has("to")) {
                        throw new IllegalArgumentException(source + ": " + where + ": set either date (one day) or from and to (a range), not both");
                    }
                    JsonNode date = v.remove("date");
                    v.set("from", date);
                    v.set("to", date);
                }
                edits.add(edit(DownlinkKind.HOLIDAY, id, v, source, where));
            });
        }
        if (root.has("alarm-rules")) {
            kinds.add(DownlinkKind.ALARM_RULE);
            list(root.get("alarm-rules"), source, "alarm-rules", (n, where) -> {
                ObjectNode v = ((ObjectNode) n).deepCopy();
                String id = text(v.get("id"), source, where + ".id");
                edits.add(edit(DownlinkKind.ALARM_RULE, id, v, source, where));
            });
        }
        return new Parsed(edits, kinds);
    }

    private interface Entry {
        void accept(JsonNode node, String where);
    }

    private static void list(JsonNode node, String source, String where, Entry each) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(source + ": " + where + ": expected a list");
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw new IllegalArgumentException(source + ": " + where + "[" + i + "]: expected a mapping");
            }
            each.accept(node.get(i), where + "[" + i + "]");
        }
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node, String source, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(source + ": " + where + ": expected a mapping by room id");
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        out.addAll(node.properties());
        return out;
    }

    private static String text(JsonNode n, String source, String where) {
        if (n == null || !n.isValueNode() || n.asText().isBlank()) {
            throw new IllegalArgumentException(source + ": " + where + ": is required");
        }
        return n.asText();
    }

    private static DownlinkEdit edit(DownlinkKind kind, String key, JsonNode value, String source, String where) {
        try {
            return DownlinkValues.put(kind, key, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + where + ": " + e.getMessage(), e);
        }
    }

    /** The tree with kebab-case keys as the wire's camelCase ({@code anti-passback} → {@code antiPassback}). */
    private static JsonNode camel(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> out.set(camelKey(e.getKey()), camel(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(camel(n)));
            return out;
        }
        return node;
    }

    private static String camelKey(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : key.toCharArray()) {
            if (ch == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }
}
