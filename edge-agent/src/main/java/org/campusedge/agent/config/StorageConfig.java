package org.campusedge.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the journal is kept.
 *
 * @param path              the SQLite journal file
 * @param durability        how hard each commit is pushed to the disk
 * @param groupCommitWindow how long the writer waits to gather more events into one commit
 * @param maxBatch          most events in one commit
 * @param retention         how long events stay and how large the journal may grow
 * @param aggregateGrace    how long after a minute ends its readings are still waited for before
 *                          the minute is summarised
 */
public record StorageConfig(Path path, Durability durability, Duration groupCommitWindow, int maxBatch,
                            Retention retention, Duration aggregateGrace) {

    /** Default grace for late readings before a minute is aggregated. */
    public static final Duration DEFAULT_AGGREGATE_GRACE = Duration.ofSeconds(10);

    public StorageConfig {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(aggregateGrace, "aggregateGrace");
    }

    /** A journal with the default retention, budget and aggregation grace. */
    public StorageConfig(Path path, Durability durability, Duration groupCommitWindow, int maxBatch) {
        this(path, durability, groupCommitWindow, maxBatch, Retention.DEFAULTS, DEFAULT_AGGREGATE_GRACE);
    }

    /** SQLite {@code synchronous} setting: FULL survives power loss, NORMAL only process crashes. */
    public enum Durability { FULL, NORMAL }

    /**
     * What the retention job keeps.
     *
     * @param readings        raw sensor readings are deleted this long after they occurred, once acknowledged
     * @param aggregates      per-minute aggregates likewise
     * @param priority        taps, decisions, alarms likewise (never deleted before acknowledged)
     * @param diskBudgetBytes the journal's hard size limit; past it the oldest readings go first,
     *                        acknowledged before unacknowledged (which become declared gaps)
     * @param interval        how often the retention job runs (the budget is checked more often)
     */
    public record Retention(Duration readings, Duration aggregates, Duration priority, long diskBudgetBytes,
                            Duration interval) {

        public static final Retention DEFAULTS = new Retention(Duration.ofDays(30), Duration.ofDays(400),
                Duration.ofDays(400), 2L * 1024 * 1024 * 1024, Duration.ofMinutes(5));

        public Retention {
            Objects.requireNonNull(readings, "readings");
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(interval, "interval");
            if (diskBudgetBytes <= 0) {
                throw new IllegalArgumentException("diskBudgetBytes must be positive, got " + diskBudgetBytes);
            }
        }

        public Retention withDiskBudget(long bytes) {
            return new Retention(readings, aggregates, priority, bytes, interval);
        }
    }
}
