package org.campusedge.sync.center;

import org.campusedge.sync.wire.DeclaredGaps;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.StreamMarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the data center keeps events: idempotent per (device, stream, seq), one transaction per
 * batch. {@link SqliteEventStore} is the embedded default; {@link PostgresEventStore} implements the
 * same contract for production (both pass {@code EventStoreContract}). Implementations are thread-safe. Storage failures are {@link EventStoreException}s.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Stores a batch in one transaction. Events already held are counted as duplicates and left
     * untouched; the stream's mark becomes {@code max(mark, batch.toSeq())}.
     *
     * @throws GapException if the batch starts beyond {@code mark + 1}; nothing is stored
     */
    IngestAck ingest(IngestBatch batch, Instant receivedAt) throws GapException;

    /**
     * Records that the box lost {@code gap.fromSeq()..gap.toSeq()} and advances the stream's mark
     * past it, in one transaction. Seqs the center already holds are left out of the record (a
     * gap entirely at or below the mark records nothing), so a declaration sent twice counts once.
     *
     * @throws GapException if the gap starts beyond {@code mark + 1}; nothing is recorded
     */
    IngestAck declareGap(GapDeclaration gap, Instant receivedAt) throws GapException;

    /** Every gap recorded for {@code deviceId}, by stream and seq. */
    DeclaredGaps gaps(String deviceId);

    /** The marks of every stream of {@code deviceId}; empty if the device never sent anything. */
    StreamMarks marks(String deviceId);

    /** Number of events held for one stream. */
    long count(String deviceId, String stream);

    /** Up to {@code limit} events with {@code seq > afterSeq}, in seq order. */
    List<StoredEvent> events(String deviceId, String stream, long afterSeq, int limit);

    /**
     * Events matching {@code query}, one page, in the order {@code (occurredAt, device, stream, seq)}
     * (served by the report indexes on the box's time, type and room).
     */
    EventQuery.Page search(EventQuery query);

    /**
     * Replaces, for each report's device, the backlog it reported last (streams it no longer
     * names are forgotten); all in one transaction. Of several reports of one device the last wins.
     */
    void saveBacklogs(List<ReportedBacklog> reports);

    /** The latest backlog of every device that ever reported one, by device id; the others are absent (unknown). */
    Map<String, ReportedBacklog> backlogs();

    @Override
    void close();

    /**
     * Opens the store a configuration names.
     *
     * @throws EventStoreException if it cannot be opened (or the password file read)
     */
    static EventStore open(DataCenterConfig.Storage storage) {
        if (storage.type() == DataCenterConfig.Storage.Type.SQLITE) {
            return SqliteEventStore.open(storage.path());
        }
        DataCenterConfig.Postgres pg = storage.postgres();
        return PostgresEventStore.open(pg.url(), pg.user(), password(pg), pg.connections());
    }

    /**
     * The password in {@code storage.password-file}, or null without one.
     *
     * @throws EventStoreException if the file cannot be read
     */
    static String password(DataCenterConfig.Postgres pg) {
        try {
            return pg.password();
        } catch (java.io.IOException e) {
            throw new EventStoreException("cannot read storage.password-file " + pg.passwordFile() + ": " + e.getMessage(), e);
        }
    }
}
