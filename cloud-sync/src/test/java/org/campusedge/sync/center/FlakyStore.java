package org.campusedge.sync.center;

import org.campusedge.sync.wire.DeclaredGaps;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.StreamMarks;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link EventStore} whose first N ingests fail as if the disk were full. */
final class FlakyStore implements EventStore {

    private final EventStore real;
    private final AtomicInteger failuresLeft;

    FlakyStore(EventStore real, int failures) {
        this.real = real;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public IngestAck ingest(IngestBatch batch, Instant receivedAt) throws GapException {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new EventStoreException("simulated: database or disk is full", null);
        }
        return real.ingest(batch, receivedAt);
    }

    @Override
    public IngestAck declareGap(GapDeclaration gap, Instant receivedAt) throws GapException {
        return real.declareGap(gap, receivedAt);
    }

    @Override
    public DeclaredGaps gaps(String deviceId) {
        return real.gaps(deviceId);
    }

    @Override
    public StreamMarks marks(String deviceId) {
        return real.marks(deviceId);
    }

    @Override
    public long count(String deviceId, String stream) {
        return real.count(deviceId, stream);
    }

    @Override
    public List<StoredEvent> events(String deviceId, String stream, long afterSeq, int limit) {
        return real.events(deviceId, stream, afterSeq, limit);
    }

    @Override
    public void saveBacklogs(List<ReportedBacklog> reports) {
        real.saveBacklogs(reports);
    }

    @Override
    public java.util.Map<String, ReportedBacklog> backlogs() {
        return real.backlogs();
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public EventQuery.Page search(EventQuery query) {
        return real.search(query);
    }
}
