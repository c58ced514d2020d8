package org.campusedge.sync.center;

import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.downlink.DownlinkEdit;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkScope;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the data center sends down to the boxes: card permissions, rooms, schedules, holidays and
 * alarm rules, each an item (scope, kind, key, JSON value), versioned. Every write that changes
 * something takes the next version of one store-wide counter and stamps it on every item it
 * changed, removals included (kept as tombstones), so a box asks for everything after the
 * version it runs and gets exactly what changed. Writes are serialised on the counter, so a
 * version becomes visible only after every smaller one.
 *
 * <p>Tombstones older than the compaction cut-off are forgotten by {@link #compact}; a box whose
 * version is older than the newest forgotten tombstone gets a snapshot instead of a delta.
 *
 * <p>Two implementations of one class ({@link JdbcDownlinkStore}): an SQLite file beside the
 * device registry (the default) and PostgreSQL; both pass {@code DownlinkStoreContract}.
 * Thread-safe. Storage failures are {@link DownlinkStoreException}s.
 */
public interface DownlinkStore extends AutoCloseable {

    /** The result of a write: the version the store is at, and how many items changed (0: nothing to do, no new version). */
    record Written(long version, int changed) {
    }

    /** A box's reported running version. */
    record Running(String deviceId, long version, Instant reportedAt) {
    }

    /**
     * Applies {@code edits} to {@code scope} in one transaction under one new version. For each
     * kind in {@code replaceKinds}, live items of that kind the edits do not put are removed (an
     * import of a whole list). Items whose value is unchanged are left alone; if nothing changes
     * no version is taken.
     */
    Written apply(DownlinkScope scope, List<DownlinkEdit> edits, Set<DownlinkKind> replaceKinds, Instant at);

    /** What changed in {@code scopes} after {@code since}, or a snapshot (see {@link DownlinkDelta}). */
    DownlinkDelta since(Collection<DownlinkScope> scopes, long since);

    /** The live items of one scope, optionally of one kind. */
    List<DownlinkChange> items(DownlinkScope scope, Optional<DownlinkKind> kind);

    /** The newest version; 0 for an empty store. */
    long version();

    /** The newest version whose tombstones were forgotten; deltas start after it. */
    long compactedVersion();

    /** Forgets tombstones changed before {@code before}; returns how many. */
    int compact(Instant before);

    /** Records what version {@code deviceId} runs. */
    void reportRunning(String deviceId, long version, Instant at);

    /** Every box's reported version, by device id. */
    List<Running> running();

    @Override
    void close();

    /** An SQLite store in {@code file}. */
    static DownlinkStore sqlite(Path file) {
        return JdbcDownlinkStore.sqlite(file);
    }

    /** A PostgreSQL store; its tables live beside the events'. */
    static DownlinkStore postgres(String url, String user, String password) {
        return JdbcDownlinkStore.postgres(url, user, password);
    }

    /** The store a data center configuration names: PostgreSQL with {@code storage.type: postgresql}, else SQLite at {@code downlink.path}. */
    static DownlinkStore open(DataCenterConfig config) {
        DataCenterConfig.Storage s = config.storage();
        if (s.type() == DataCenterConfig.Storage.Type.POSTGRESQL) {
            return postgres(s.postgres().url(), s.postgres().user(), EventStore.password(s.postgres()));
        }
        return sqlite(config.downlink().path());
    }
}
