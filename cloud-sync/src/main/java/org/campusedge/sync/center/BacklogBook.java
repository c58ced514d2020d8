package org.campusedge.sync.center;

import org.campusedge.sync.runtime.LogThrottle;
import org.campusedge.sync.runtime.OwnThread;
import org.campusedge.sync.wire.Backlog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latest backlog each box reported (header {@value Backlog#HEADER}): kept in memory, where a
 * report costs a map update on the request's thread, and written to the {@link EventStore} by the
 * thread {@code datacenter-backlog-0} every {@link #FLUSH_INTERVAL}, all devices that reported since
 * in one transaction, and once more at {@link #close()}. A box uploading ten batches a second
 * thus costs one row write per interval, not ten; the store (what {@code provision --list}
 * and a restarted center read) is at most one interval behind.
 *
 * <p>Thread-safe: reports come from the HTTP workers; the maps are concurrent.
 */
final class BacklogBook implements AutoCloseable {

    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(DataCenter.class);

    /** City-wide totals over the boxes whose backlog this process knows. */
    record CityBacklog(long devicesReporting, long devicesBehind, long eventsBehind, Optional<Instant> oldestUnsentAt) {
    }

    private final EventStore store;
    private final Map<String, ReportedBacklog> latest = new ConcurrentHashMap<>();
    private final Map<String, ReportedBacklog> unwritten = new ConcurrentHashMap<>();
    private final LongAdder reports = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    private final LogThrottle failureLog = new LogThrottle(Duration.ofMinutes(1));
    private final OwnThread thread = new OwnThread("datacenter-backlog", true);

    BacklogBook(EventStore store) {
        this.store = store;
        try {
            latest.putAll(store.backlogs());
        } catch (EventStoreException e) {
            LOG.warn("datacenter: cannot read the backlogs boxes reported before: {}; they show as unknown until each box reports again",
                    e.getMessage());
        }
        thread.every(FLUSH_INTERVAL, FLUSH_INTERVAL, this::flush);
    }

    /** Notes what {@code deviceId} still has to send, as of {@code at} (center time). */
    void report(String deviceId, Backlog backlog, Instant at) {
        ReportedBacklog r = new ReportedBacklog(deviceId, backlog, at);
        latest.put(deviceId, r);
        unwritten.put(deviceId, r);
        reports.increment();
    }

    /**
     * The latest backlog of every box: the store's (other data center processes on one
     * PostgreSQL write there too) with this process's newer reports over it.
     */
    Map<String, ReportedBacklog> all() {
        Map<String, ReportedBacklog> out = new TreeMap<>(store.backlogs());
        latest.forEach((device, r) -> out.merge(device, r, (stored, mine) -> mine.reportedAt().isBefore(stored.reportedAt()) ? stored : mine));
        return out;
    }

    /** Totals over the boxes this process knows (no store read: health is polled often). */
    CityBacklog city() {
        long reporting = 0;
        long behind = 0;
        long events = 0;
        Instant oldest = null;
        for (ReportedBacklog r : latest.values()) {
            reporting++;
            long n = r.backlog().totalEvents();
            if (n > 0) {
                behind++;
                events += n;
            }
            Optional<Instant> o = r.backlog().oldestUnsentAt();
            if (o.isPresent() && (oldest == null || o.get().isBefore(oldest))) {
                oldest = o.get();
            }
        }
        return new CityBacklog(reporting, behind, events, Optional.ofNullable(oldest));
    }

    long reports() {
        return reports.sum();
    }

    long writeFailures() {
        return writeFailures.sum();
    }

    /** Writes what was reported since the last flush; on failure keeps it for the next (newer reports win). */
    void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        List<ReportedBacklog> batch = new ArrayList<>(unwritten.values());
        batch.forEach(r -> unwritten.remove(r.deviceId(), r));
        try {
            store.saveBacklogs(batch);
        } catch (RuntimeException e) {
            writeFailures.increment();
            batch.forEach(r -> unwritten.putIfAbsent(r.deviceId(), r));
            failureLog.acquire().ifPresent(n -> LOG.warn("datacenter: cannot record the backlogs of {} boxes: {}; retrying in {}s ({} similar suppressed)",
                    batch.size(), e.getMessage(), FLUSH_INTERVAL.toSeconds(), n));
        }
    }

    /** Stops the thread and writes what is left; call before the store closes. */
    @Override
    public void close() {
        thread.close();
        flush();
    }
}
