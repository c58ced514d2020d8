package org.campusedge.agent.http;

import java.util.Locale;

/**
 * Builds the Prometheus text exposition format (version 0.0.4): one HELP and TYPE line per
 * metric family, then its samples. Label values are escaped as the format requires
 * (backslash, double quote, newline).
 */
public final class PrometheusText {

    private final StringBuilder out = new StringBuilder(4096);

    public PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A family with one unlabelled sample: the HELP and TYPE lines, then {@code name value}. */
    public PrometheusText metric(String name, String type, String help, double value) {
        return family(name, type, help).sample(name, value);
    }

    public PrometheusText sample(String name, double value, String... labelPairs) {
        out.append(name);
        if (labelPairs.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labelPairs[i]).append("=\"").append(escape(labelPairs[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(String.format(Locale.ROOT, "%s", value));
        }
        out.append('\n');
        return this;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
