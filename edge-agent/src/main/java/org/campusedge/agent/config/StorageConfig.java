package org.campusedge.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the journal is kept.
 *
 * @param path              the SQLite journal file
 * @param durability        how hard each commit is pushed to the disk
 * @param groupCommitWindow how long the writer waits to gather more events into one commit
 * @param maxBatch          most events in one commit
 */
public record StorageConfig(Path path, Durability durability, Duration groupCommitWindow, int maxBatch) {

    /** SQLite {@code synchronous} setting: FULL survives power loss, NORMAL only process crashes. */
    public enum Durability { FULL, NORMAL }
}
