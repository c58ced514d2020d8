package org.campusedge.agent.sensors;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How messages on a topic filter become readings of one metric: which room and sensor they
 * belong to, where the value sits in the payload and how it is scaled.
 *
 * <p>{@code room} and {@code sensor} may name captured {@code +} levels as {@code {1}},
 * {@code {2}}..., so {@code tele/+/SENSOR} with {@code sensor: "{1}"} takes the sensor id from
 * the Tasmota device topic. Without a {@code jsonPath} the whole payload is the value (plain
 * number, or for a 0/1 metric a word such as ON/OFF, true/false, open/closed); with one, the
 * payload is JSON and the dot path ({@code ENERGY.Power}) names the field. {@code invert} turns
 * 1 into 0 for a 0/1 metric (a Zigbee contact reports {@code true} when the door is closed).
 * An {@code optional} mapping is skipped quietly when its field is absent: presets subscribe one
 * topic for every field a device family may publish.
 *
 * @param filter   topic filter
 * @param room     room id or template
 * @param sensor   sensor id or template
 * @param metric   what is measured
 * @param unit     unit carried with the reading
 * @param jsonPath dot path into a JSON payload, or empty for a plain payload
 * @param scale    factor applied before the range check
 * @param invert   for 0/1 metrics: report 1 - value
 * @param optional absent field is skipped rather than rejected
 */
public record SensorMapping(TopicFilter filter, String room, String sensor, Metric metric, String unit,
                            Optional<String> jsonPath, double scale, boolean invert, boolean optional) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    public SensorMapping {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(jsonPath, "jsonPath");
        checkTemplate(room, filter, "room");
        checkTemplate(sensor, filter, "sensor");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale must be a finite, non-zero number, got " + scale);
        }
        if (invert && !metric.binary()) {
            throw new IllegalArgumentException("invert applies only to 0/1 metrics, not " + metric.wireName());
        }
        jsonPath.ifPresent(p -> {
            if (p.isBlank() || p.startsWith(".") || p.endsWith(".") || p.contains("..")) {
                throw new IllegalArgumentException("json-path must be field names joined by '.', got \"" + p + "\"");
            }
        });
    }

    /** A mapping of a plain or JSON value in the metric's own unit, unscaled. */
    public static SensorMapping of(String filter, String room, String sensor, Metric metric, Optional<String> jsonPath) {
        return new SensorMapping(TopicFilter.of(filter), room, sensor, metric, metric.unit(), jsonPath, 1.0, false, false);
    }

    /** Fills {@code {n}} placeholders of a room or sensor template with captured levels. */
    static String expand(String template, List<String> captured) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(captured.get(n - 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static void checkTemplate(String template, TopicFilter filter, String what) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String digits = m.group(1);
            int n = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (n < 1 || n > filter.wildcards()) {
                throw new IllegalArgumentException(what + " \"" + template + "\" names {" + digits + "} but the topic filter "
                        + filter + " has " + filter.wildcards() + " '+' level(s)");
            }
        }
    }
}
