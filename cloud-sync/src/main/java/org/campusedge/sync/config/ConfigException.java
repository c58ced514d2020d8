package org.campusedge.sync.config;

/**
 * A configuration file is unusable. The message names the file, the key path and the reason,
 * e.g. {@code agent.yaml: readers[1].baud: must be a whole number in 1200..115200, got "fast"}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String keyPath;
    private final String reason;

    public ConfigException(String source, String keyPath, String reason) {
        this(source, keyPath, reason, null);
    }

    public ConfigException(String source, String keyPath, String reason, Throwable cause) {
        super(source + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + reason, cause);
        this.source = source;
        this.keyPath = keyPath;
        this.reason = reason;
    }

    /** The file or resource the configuration came from. */
    public String source() {
        return source;
    }

    /** The dotted key path, e.g. {@code readers[1].baud}; empty for the whole file. */
    public String keyPath() {
        return keyPath;
    }

    /** Why the value is rejected. */
    public String reason() {
        return reason;
    }
}
