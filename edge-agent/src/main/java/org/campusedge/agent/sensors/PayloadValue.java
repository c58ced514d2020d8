package org.campusedge.agent.sensors;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one payload value (a whole plain payload or one JSON node) into a number, or says why
 * it cannot. Stateless.
 */
final class PayloadValue {

    /** A decimal number as devices write it; rejects Java-only forms such as "1d" or "0x1p3". */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)");
    /** On/off words devices publish for 0/1 states: Tasmota ON/OFF, Zigbee2MQTT true/false, door open/closed. */
    private static final Map<String, Double> WORDS = Map.ofEntries(
            Map.entry("on", 1.0), Map.entry("off", 0.0),
            Map.entry("true", 1.0), Map.entry("false", 0.0),
            Map.entry("open", 1.0), Map.entry("closed", 0.0),
            Map.entry("yes", 1.0), Map.entry("no", 0.0),
            Map.entry("occupied", 1.0), Map.entry("unoccupied", 0.0));

    private PayloadValue() {
    }

    /** The outcome: a value, or a reason with a detail. */
    record Result(double value, RejectReason reason, String detail) {
        static Result ok(double value) {
            return new Result(value, null, "");
        }

        static Result fail(RejectReason reason, String detail) {
            return new Result(Double.NaN, reason, detail);
        }

        boolean ok() {
            return reason == null;
        }
    }

    static Result fromText(String text, Metric metric) {
        String s = text.trim();
        if (NUMBER.matcher(s).matches()) {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? Result.ok(d) : Result.fail(RejectReason.NOT_FINITE, "value " + abbreviate(s));
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (NON_FINITE.matcher(lower).matches()) {
            return Result.fail(RejectReason.NOT_FINITE, "value " + abbreviate(s));
        }
        Double word = WORDS.get(lower);
        if (word != null && metric.binary()) {
            return Result.ok(word);
        }
        return Result.fail(RejectReason.NOT_NUMERIC, "value \"" + abbreviate(s) + "\" is not a number"
                + (metric.binary() ? " or an on/off word" : ""));
    }

    static Result fromJson(JsonNode node, Metric metric) {
        if (node.isNumber()) {
            double d = node.doubleValue();
            return Double.isFinite(d) ? Result.ok(d) : Result.fail(RejectReason.NOT_FINITE, "value " + node.asText());
        }
        if (node.isBoolean()) {
            return fromBoolean(node.booleanValue(), metric);
        }
        if (node.isTextual()) {
            return fromText(node.textValue(), metric);
        }
        return Result.fail(RejectReason.NOT_NUMERIC, "value is " + (node.isContainerNode() ? "an object or list" : node.getNodeType()));
    }

    static Result fromBoolean(boolean value, Metric metric) {
        return metric.binary() ? Result.ok(value ? 1 : 0)
                : Result.fail(RejectReason.NOT_NUMERIC, "value " + value + " is a boolean");
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
