package org.campusedge.agent.sensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated MQTT 3.1.1 topic filter (OASIS MQTT 3.1.1, section 4.7) that matches topic names
 * and captures the levels its {@code +} wildcards stood for, so a mapping can take a sensor id
 * from the topic.
 *
 * <p>Immutable and thread-safe.
 */
public record TopicFilter(String filter) {

    /** Section 4.7.3: topic names and filters are at most 65535 bytes of UTF-8. */
    private static final int MAX_BYTES = 65_535;

    public TopicFilter {
        if (filter == null || filter.isEmpty()) {
            // 4.7.3: "All Topic Names and Topic Filters MUST be at least one character long".
            throw new IllegalArgumentException("a topic filter must not be empty");
        }
        if (filter.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("a topic filter must not contain U+0000: " + filter);
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("a topic filter is at most 65535 bytes long");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            // 4.7.1.2: '#' must occupy a whole level and be the last character of the filter.
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be the whole last level of a topic filter: " + filter);
            }
            // 4.7.1.3: '+' must occupy an entire level of the filter.
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level of a topic filter: " + filter);
            }
        }
    }

    /** Parses and validates a filter; see the constructor for the rules. */
    public static TopicFilter of(String filter) {
        return new TopicFilter(filter);
    }

    /** How many single-level ({@code +}) wildcards the filter holds, i.e. how many levels it captures. */
    public int wildcards() {
        int n = 0;
        for (String level : filter.split("/", -1)) {
            if (level.equals("+")) {
                n++;
            }
        }
        return n;
    }

    /** True if {@code topic}, a topic name as published, matches this filter. */
    public boolean matches(String topic) {
        return capture(topic).isPresent();
    }

    /**
     * The topic levels matched by each {@code +} in order, or empty if the topic does not match.
     * A topic name containing wildcards, or that is empty, matches nothing.
     */
    public Optional<List<String>> capture(String topic) {
        if (topic == null || topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return Optional.empty();
        }
        // 4.7.2: a filter starting with a wildcard does not match topics beginning with '$'.
        if (topic.charAt(0) == '$' && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return Optional.empty();
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        List<String> captured = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                // 4.7.1.2: "sport/#" also matches "sport", the parent level.
                return Optional.of(List.copyOf(captured));
            }
            if (i >= t.length) {
                return Optional.empty();
            }
            if (f[i].equals("+")) {
                captured.add(t[i]);
            } else if (!f[i].equals(t[i])) {
                return Optional.empty();
            }
        }
        return f.length == t.length ? Optional.of(List.copyOf(captured)) : Optional.empty();
    }

    @Override
    public String toString() {
        return filter;
    }
}
