package org.campusedge.agent.journal;

import org.campusedge.sync.runtime.OwnThread;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Summarises raw sensor readings into one {@code sensor.aggregate} event per (room, sensor,
 * metric, minute): min, max, avg and count, appended to the {@link EventStream#AGGREGATES} stream.
 *
 * <p>The running sums live in memory, fed by the journal's commit listener with each reading's
 * decoded body (no SQL, no JSON per reading: readings arrive tens of thousands a second). When a
 * minute has closed (its end plus the grace is past) its aggregates are appended in the writer
 * transaction that moves two durable marks in {@code meta}: {@code aggregates.done_before_us}
 * (every minute before it is summarised) and {@code aggregates.from_seq} (the first reading that
 * may still be in an open minute). After a restart or a crash the sums are rebuilt from the
 * readings at and after {@code from_seq} — a primary-key range, no index — so every minute is
 * summarised exactly once: either its aggregates and the marks commit together or neither does.
 *
 * <p>Readings are bucketed by when they occurred (the box's clock). A reading committed after its
 * minute was summarised (later than the grace) stays in the readings stream but in no aggregate;
 * it is counted as late.
 *
 * <p>Threads: the commit listener runs on the journal writer thread; passes run on the
 * {@code sensor-aggregator} thread (or the caller's, in tests, via {@link #runPending()}); the
 * sums are shared under this object's lock, held briefly by both.
 */
public final class SensorAggregator implements AutoCloseable {

    static final String MARK_KEY = "aggregates.done_before_us";
    static final String FROM_SEQ_KEY = "aggregates.from_seq";
    private static final Logger LOG = LoggerFactory.getLogger(SensorAggregator.class);
    private static final long MINUTE_US = 60_000_000L;
    private static final int REPLAY_CHUNK = 5_000;
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

    /** One (room, sensor, metric) in one minute. */
    private record Key(long minuteUs, String room, String sensor, String metric) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(minuteUs, o.minuteUs);
            if (c == 0) {
                c = room.compareTo(o.room);
            }
            if (c == 0) {
                c = sensor.compareTo(o.sensor);
            }
            return c != 0 ? c : metric.compareTo(o.metric);
        }
    }

    /** Running min, max, sum and count of a key, and the first reading (by seq) in it. */
    private static final class Sums {
        final long firstSeq;
        String unit;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        long count;

        Sums(long firstSeq) {
            this.firstSeq = firstSeq;
        }

        void add(double v, String u) {
            if (unit == null) {
                unit = u;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            count++;
        }
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
    /**
     * Guarded by {@code this}: open minutes' sums (hashed: one lookup per reading; sorted only
     * when a minute closes), and the highest reading seq folded in.
     */
    private final Map<Key, Sums> open = new HashMap<>();
    private long foldedThrough;
    /**
     * Guarded by {@code this}: readings of minutes before this are late, because those minutes are
     * summarised (or being committed). A minute that had no readings is never summarised, so a
     * reading for it arriving after the grace is still taken, unless a later minute was summarised.
     */
    private long closingBeforeUs;
    private OwnThread thread;

    public SensorAggregator(Journal journal, Clock clock, Duration grace) {
        this.journal = journal;
        this.clock = clock;
        this.grace = grace;
        long mark = journal.read(SensorAggregator::readMark);
        this.doneBeforeUs = new AtomicLong(mark);
        this.closingBeforeUs = mark;
        // Listen from a known seq on (taken on the writer thread, so no commit falls in between),
        // then fold in what was committed up to it from the file.
        long upTo = journal.write(c -> {
            journal.onCommit(this::committed);
            return journal.lastSeq(EventStream.READINGS.wireName());
        }).join();
        synchronized (this) {
            foldedThrough = Math.max(foldedThrough, upTo);
        }
        replay(journal.read(SensorAggregator::readFromSeq), upTo);
    }

    /** Folds the readings in [{@code from}, {@code upTo}] from the file into the open minutes. */
    private void replay(long from, long upTo) {
        long after = from - 1;
        while (after < upTo) {
            List<JournalEvent> chunk = journal.events(EventStream.READINGS, after, REPLAY_CHUNK);
            if (chunk.isEmpty()) {
                break;
            }
            synchronized (this) {
                for (JournalEvent e : chunk) {
                    if (e.seq() <= upTo) {
                        fold(e, false);
                    }
                }
            }
            after = chunk.get(chunk.size() - 1).seq();
        }
    }

    /** The commit listener, on the writer thread. */
    private void committed(List<JournalEvent> events) {
        boolean any = false;
        for (JournalEvent e : events) {
            if (e.stream() == EventStream.READINGS) {
                any = true;
                break;
            }
        }
        if (!any) {
            return;
        }
        synchronized (this) {
            for (JournalEvent e : events) {
                if (e.stream() == EventStream.READINGS && e.seq() > foldedThrough) {
                    fold(e, true);
                    foldedThrough = e.seq();
                }
            }
        }
    }

    /** Adds one reading to its minute's sums; caller holds the lock. */
    private void fold(JournalEvent e, boolean live) {
        if (!e.isReading()) {
            return;
        }
        long minute = floorMinute(Micros.of(e.occurredAt()));
        if (minute < closingBeforeUs) {
            if (live) {
                lateReadings.incrementAndGet();
            }
            return;
        }
        ReadingBody r;
        try {
            r = e.reading();
        } catch (IOException ex) {
            return; // not a well-formed reading; nothing to summarise (the room state logs it)
        }
        open.computeIfAbsent(new Key(minute, r.room(), r.sensor(), r.metric()), k -> new Sums(e.seq())).add(r.value(), r.unit());
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

    /** Summarises every closed minute; returns the number of minutes summarised. */
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

    /** A closed minute taken out of the open sums, with the marks its commit sets. */
    private record Closing(long minuteUs, SortedMap<Key, Sums> sums, long fromSeq) {
    }

    /**
     * Summarises the oldest closed minute that has readings; false if there is none. Its sums
     * leave memory before the commit (a reading for it arriving meanwhile is late) and come back
     * if the commit fails.
     */
    boolean aggregateNextMinute() {
        long closedBefore = floorMinute(Micros.of(clock.instant().minus(grace)));
        long t0 = System.nanoTime();
        Closing closing;
        synchronized (this) {
            long minute = Long.MAX_VALUE;
            for (Key k : open.keySet()) {
                minute = Math.min(minute, k.minuteUs());
            }
            if (minute >= closedBefore) {
                return false;
            }
            SortedMap<Key, Sums> head = new TreeMap<>();
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Sums> e = it.next();
                if (e.getKey().minuteUs() == minute) {
                    head.put(e.getKey(), e.getValue());
                    it.remove();
                }
            }
            closingBeforeUs = Math.max(closingBeforeUs, minute + MINUTE_US);
            long fromSeq = foldedThrough + 1;
            for (Sums rest : open.values()) {
                fromSeq = Math.min(fromSeq, rest.firstSeq);
            }
            closing = new Closing(minute, head, fromSeq);
        }
        try {
            return commit(closing);
        } finally {
            busyNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private boolean commit(Closing closing) {
        Instant minute = Micros.toInstant(closing.minuteUs());
        List<JournalEntry> entries = new ArrayList<>();
        long summarised = 0;
        for (Map.Entry<Key, Sums> e : closing.sums().entrySet()) {
            Key k = e.getKey();
            Sums s = e.getValue();
            summarised += s.count;
            entries.add(new JournalEntry(EventType.SENSOR_AGGREGATE, minute, Optional.of(k.room()), json(new AggregatePayload(
                    k.room(), k.sensor(), k.metric(), s.unit, minute.toString(), s.min, s.max, s.sum / s.count, s.count))));
        }
        long expected = doneBeforeUs.get();
        AtomicBoolean moved = new AtomicBoolean();
        List<JournalEvent> written;
        try {
            written = journal.appendDerived(c -> {
                if (readMark(c) > closing.minuteUs()) {
                    moved.set(true); // summarised already by another aggregator on this file: write nothing
                    return List.of();
                }
                writeMeta(c, MARK_KEY, closing.minuteUs() + MINUTE_US);
                writeMeta(c, FROM_SEQ_KEY, closing.fromSeq());
                return entries;
            }).join();
        } catch (RuntimeException e) {
            synchronized (this) {
                open.putAll(closing.sums());
                closingBeforeUs = Math.min(closingBeforeUs, closing.minuteUs());
            }
            LOG.warn("aggregates for {} not committed, kept for the next pass: {}", minute, e.getMessage());
            return false;
        }
        if (moved.get()) {
            LOG.debug("aggregates for {} were written by another pass (expected mark {})", minute, expected);
            return true;
        }
        doneBeforeUs.accumulateAndGet(closing.minuteUs() + MINUTE_US, Math::max);
        minutes.incrementAndGet();
        aggregates.addAndGet(written.size());
        readings.addAndGet(summarised);
        return true;
    }

    private static String json(AggregatePayload p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an aggregate: " + e.getMessage(), e);
        }
    }

    static long readMark(Connection c) throws SQLException {
        return readMeta(c, MARK_KEY, 0L);
    }

    static long readFromSeq(Connection c) throws SQLException {
        return readMeta(c, FROM_SEQ_KEY, 1L);
    }

    private static long readMeta(Connection c, String key, long absent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Long.parseLong(rs.getString(1)) : absent;
            }
        }
    }

    private static void writeMeta(Connection c, String key, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, Long.toString(value));
            ps.executeUpdate();
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
