package org.campusedge.agent.journal;

import org.campusedge.sync.runtime.OwnThread;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Summarises raw sensor readings into one {@code sensor.aggregate} event per (room, sensor,
 * metric, minute): min, max, avg and count, appended to the {@link EventStream#AGGREGATES} stream.
 *
 * <p>Exactly once, across restarts and crashes: a minute is summarised in SQL from the readings the
 * journal holds, and its aggregates are appended in the writer transaction that moves the durable
 * mark {@code aggregates.done_before_us} in {@code meta} past it (after checking the mark is still
 * where the summary started). Either the aggregates and the mark commit together or neither does,
 * so after a crash the next pass summarises the same minute from the raw readings again, and no
 * minute is written twice or skipped. Live operation and catch-up
 * after downtime are the same code: each pass summarises, one minute per transaction, every minute
 * after the mark that has readings and has closed (its end plus the grace is past).
 *
 * <p>Readings are bucketed by when they occurred (the box's clock). A reading committed after its
 * minute was summarised (later than the grace) stays in the readings stream but in no aggregate;
 * it is counted as late.
 *
 * <p>Threads: passes run on the {@code sensor-aggregator} thread (or the caller's, in tests, via
 * {@link #runPending()}); the summarising queries run on the journal's read connection, so the
 * writer thread, which the doors share, only appends a minute's few aggregates and the mark. The commit listener that counts late readings runs on the writer
 * thread and only compares timestamps.
 */
public final class SensorAggregator implements AutoCloseable {

    static final String MARK_KEY = "aggregates.done_before_us";
    private static final Logger LOG = LoggerFactory.getLogger(SensorAggregator.class);
    private static final long MINUTE_US = 60_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Body of a {@code sensor.aggregate} event. */
    record AggregatePayload(String room, String sensor, String metric, String unit, String minute,
                            double min, double max, double avg, long count) {
    }

    /**
     * Counters since start.
     *
     * @param minutes      minutes summarised
     * @param aggregates   aggregate events appended
     * @param readings     readings summarised
     * @param lateReadings readings committed after their minute was summarised
     * @param doneBefore   every minute before this instant is summarised
     * @param busyNanos    time spent summarising (writer-thread SQL included)
     */
    public record Stats(long minutes, long aggregates, long readings, long lateReadings, Instant doneBefore,
                        long busyNanos) {
    }

    private final Journal journal;
    private final Clock clock;
    private final Duration grace;
    private final AtomicLong minutes = new AtomicLong();
    private final AtomicLong aggregates = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong lateReadings = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong doneBeforeUs;
    private OwnThread thread;

    public SensorAggregator(Journal journal, Clock clock, Duration grace) {
        this.journal = journal;
        this.clock = clock;
        this.grace = grace;
        this.doneBeforeUs = new AtomicLong(journal.read(SensorAggregator::readMark));
        journal.onCommit(this::countLate);
    }

    /** Starts the {@code sensor-aggregator} thread: a pass now (catch-up), then every {@code every}. */
    public synchronized void start(Duration every) {
        if (thread != null) {
            throw new IllegalStateException("started already");
        }
        thread = new OwnThread("sensor-aggregator", false);
        thread.every(Duration.ZERO, every, this::pass);
    }

    private void pass() {
        int n = runPending();
        if (n > 1) {
            LOG.info("aggregates: caught up {} minutes, done before {}", n, doneBefore());
        }
    }

    /** Summarises every closed minute after the mark; returns the number of minutes summarised. */
    public int runPending() {
        int n = 0;
        while (aggregateNextMinute()) {
            n++;
        }
        return n;
    }

    /** Every minute before this instant has been summarised. */
    public Instant doneBefore() {
        return Micros.toInstant(doneBeforeUs.get());
    }

    public Stats stats() {
        return new Stats(minutes.get(), aggregates.get(), readings.get(), lateReadings.get(), doneBefore(),
                busyNanos.get());
    }

    /**
     * Summarises the oldest closed minute with readings after the mark; false if there is none.
     * The summary is read on the journal's read connection; the writer transaction only checks the
     * mark is still where the summary started, appends the aggregates and moves the mark.
     */
    boolean aggregateNextMinute() {
        long closedBefore = floorMinute(Micros.of(clock.instant().minus(grace)));
        long t0 = System.nanoTime();
        try {
            long mark = journal.read(SensorAggregator::readMark);
            Optional<Long> first = journal.read(c -> firstReadingBetween(c, mark, closedBefore));
            if (first.isEmpty()) {
                doneBeforeUs.accumulateAndGet(mark, Math::max);
                return false;
            }
            long minute = floorMinute(first.get());
            AtomicLong summarised = new AtomicLong();
            List<JournalEntry> entries = journal.read(c -> summarise(c, minute, summarised));
            AtomicBoolean moved = new AtomicBoolean();
            List<JournalEvent> written = journal.appendDerived(c -> {
                if (readMark(c) != mark) {
                    moved.set(true); // summarised meanwhile by another pass: write nothing
                    return List.of();
                }
                writeMark(c, minute + MINUTE_US);
                return entries;
            }).join();
            if (moved.get()) {
                return true; // the next call starts from the new mark
            }
            doneBeforeUs.accumulateAndGet(minute + MINUTE_US, Math::max);
            minutes.incrementAndGet();
            aggregates.addAndGet(written.size());
            readings.addAndGet(summarised.get());
            return true;
        } finally {
            busyNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private static Optional<Long> firstReadingBetween(Connection c, long fromUs, long beforeUs) throws SQLException {
        // '+stream' keeps SQLite on events_by_time (without it the primary key's stream prefix wins
        // and every minute would walk the whole readings stream); ORDER BY ... LIMIT 1 stops at the first.
        try (PreparedStatement ps = c.prepareStatement("SELECT occurred_us FROM events"
                + " WHERE occurred_us >= ? AND occurred_us < ? AND +stream = ? AND type = ? ORDER BY occurred_us LIMIT 1")) {
            ps.setLong(1, fromUs);
            ps.setLong(2, beforeUs);
            ps.setString(3, EventStream.READINGS.wireName());
            ps.setString(4, EventType.SENSOR_READING.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static List<JournalEntry> summarise(Connection c, long minuteUs, AtomicLong summarised) throws SQLException {
        Instant minute = Micros.toInstant(minuteUs);
        List<JournalEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT json_extract(payload, '$.room') AS room, json_extract(payload, '$.sensor') AS sensor,
                       json_extract(payload, '$.metric') AS metric, MIN(json_extract(payload, '$.unit')),
                       MIN(json_extract(payload, '$.value')), MAX(json_extract(payload, '$.value')),
                       AVG(json_extract(payload, '$.value')), COUNT(json_extract(payload, '$.value'))
                FROM events
                WHERE occurred_us >= ? AND occurred_us < ? AND +stream = ? AND type = ?
                GROUP BY room, sensor, metric
                ORDER BY room, sensor, metric""")) {
            ps.setLong(1, minuteUs);
            ps.setLong(2, minuteUs + MINUTE_US);
            ps.setString(3, EventStream.READINGS.wireName());
            ps.setString(4, EventType.SENSOR_READING.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long count = rs.getLong(8);
                    String room = rs.getString(1);
                    if (count == 0 || room == null || rs.getString(2) == null || rs.getString(3) == null) {
                        continue; // not a well-formed reading; nothing to summarise
                    }
                    summarised.addAndGet(count);
                    AggregatePayload p = new AggregatePayload(room, rs.getString(2), rs.getString(3), rs.getString(4),
                            minute.toString(), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), count);
                    out.add(new JournalEntry(EventType.SENSOR_AGGREGATE, minute, Optional.of(room), json(p)));
                }
            }
        }
        return out;
    }

    private static String json(AggregatePayload p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an aggregate: " + e.getMessage(), e);
        }
    }

    static long readMark(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, MARK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
            }
        }
    }

    private static void writeMark(Connection c, long us) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, MARK_KEY);
            ps.setString(2, Long.toString(us));
            ps.executeUpdate();
        }
    }

    private void countLate(List<JournalEvent> events) {
        long mark = doneBeforeUs.get();
        for (JournalEvent e : events) {
            if (e.stream() == EventStream.READINGS && Micros.of(e.occurredAt()) < mark) {
                lateReadings.incrementAndGet();
            }
        }
    }

    private static long floorMinute(long us) {
        return Math.floorDiv(us, MINUTE_US) * MINUTE_US;
    }

    /** Stops the thread; a pass in progress finishes its current minute first. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.close();
        }
    }
}
