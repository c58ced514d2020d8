package org.campusedge.agent.journal;

import org.campusedge.sync.runtime.OwnThread;
import org.campusedge.agent.config.StorageConfig;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps the journal within its retention and its disk budget.
 *
 * <p>Each pass, in this order, deleting at most {@value #BATCH} rows per writer transaction so a
 * door's tap never waits long behind it:
 * <ol>
 *   <li>acknowledged events older than their stream's retention (readings, aggregates, priority);</li>
 *   <li>if the data in the file is over the budget: the oldest acknowledged readings, down to
 *       {@value #LOW_WATER_PERCENT}% of the budget;</li>
 *   <li>only if still over: the oldest unacknowledged readings that are already aggregated, each run
 *       recorded in the {@code gaps} table in the same transaction, for the uplink to declare.</li>
 * </ol>
 * Priority events and aggregates are never deleted for space, and never before acknowledged. Then
 * free pages go back to the file system ({@link JournalSpace#reclaim}). The budget is measured as
 * pages in use, so a file full of free pages is reclaimed rather than emptied of data. Free pages
 * are cut off the file {@value #VACUUM_PAGES} at a time (incremental vacuum, one writer transaction
 * each), then the WAL is checkpointed and truncated so the smaller file shows on disk.
 *
 * <p>Threads: passes run on the {@code journal-retention} thread (or the caller's, in tests, via
 * {@link #runOnce()}); every statement runs on the journal writer thread. Counters are atomics.
 */
public final class JournalRetention implements AutoCloseable {

    static final int BATCH = 2_000;
    static final int LOW_WATER_PERCENT = 90;
    static final String DISK_BUDGET = "disk_budget";
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);
    static final int VACUUM_PAGES = 512;
    private static final Duration BUDGET_CHECK = Duration.ofSeconds(10);
    private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");

    /** Why rows were deleted. */
    public enum Reason { EXPIRED, BUDGET_ACKED, BUDGET_UNACKED }

    /**
     * What retention has done since start, and the journal's size now.
     *
     * @param fileBytes         the journal's files on disk (database and WAL)
     * @param usedBytes         pages holding data
     * @param budgetBytes       the configured budget
     * @param reclaimedBytes    bytes returned to the file system by incremental vacuum
     * @param deletedExpired    rows deleted past retention
     * @param deletedBudgetAcked    acknowledged readings deleted for space
     * @param deletedBudgetUnacked  unacknowledged readings deleted for space (each in a recorded gap)
     * @param gapsRecorded      gaps recorded
     * @param passes            passes run
     * @param lastPass          when the last pass ended
     * @param deleteNanos       time spent in delete transactions
     */
    public record Stats(long fileBytes, long usedBytes, long budgetBytes, long reclaimedBytes, long deletedExpired,
                        long deletedBudgetAcked, long deletedBudgetUnacked, long gapsRecorded, long passes,
                        Optional<Instant> lastPass, long deleteNanos) {
    }

    private final Journal journal;
    private final StorageConfig.Retention config;
    private final Clock clock;
    private final Supplier<Instant> aggregatedBefore;
    private final AtomicLong reclaimedBytes = new AtomicLong();
    private final AtomicLong deletedExpired = new AtomicLong();
    private final AtomicLong deletedBudgetAcked = new AtomicLong();
    private final AtomicLong deletedBudgetUnacked = new AtomicLong();
    private final AtomicLong gapsRecorded = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong deleteNanos = new AtomicLong();
    private final AtomicLong usedBytes = new AtomicLong();
    private volatile Instant lastPass;
    private OwnThread thread;

    /**
     * @param aggregatedBefore readings that occurred before this instant are in an aggregate; only
     *                         those may be deleted unsent (use {@code () -> Instant.MAX} without an aggregator)
     */
    public JournalRetention(Journal journal, StorageConfig.Retention config, Clock clock, Supplier<Instant> aggregatedBefore) {
        this.journal = journal;
        this.config = config;
        this.clock = clock;
        this.aggregatedBefore = aggregatedBefore;
    }

    /** Starts the {@code journal-retention} thread: a full pass 10 s after start and every interval, a budget check every 10 s. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("started already");
        }
        thread = new OwnThread("journal-retention", false);
        thread.every(BUDGET_CHECK, config.interval(), this::runOnce);
        thread.every(BUDGET_CHECK, BUDGET_CHECK, this::checkBudget);
    }

    /** Runs the budget steps only if the journal is over budget (cheap otherwise). */
    public void checkBudget() {
        if (measureUsed() > config.diskBudgetBytes()) {
            runOnce();
        }
    }

    /** One full pass: expiry, then the budget, then reclaiming free pages. */
    public Stats runOnce() {
        Instant now = clock.instant();
        expire(EventStream.READINGS, now.minus(config.readings()));
        expire(EventStream.AGGREGATES, now.minus(config.aggregates()));
        expire(EventStream.PRIORITY, now.minus(config.priority()));
        long target = config.diskBudgetBytes() / 100 * LOW_WATER_PERCENT;
        if (measureUsed() > config.diskBudgetBytes()) {
            long acked = deleteWhileOver(target, this::deleteOldestAcked);
            long unacked = measureUsed() > target ? deleteWhileOver(target, this::deleteOldestUnacked) : 0;
            LOG.warn("journal retention: over the disk budget of {} MB; deleted {} acknowledged and {} unsent readings, "
                    + "{} MB in use now", config.diskBudgetBytes() >> 20, acked, unacked, usedBytes.get() >> 20);
        }
        reclaim();
        passes.incrementAndGet();
        lastPass = clock.instant();
        return stats();
    }

    public Stats stats() {
        return new Stats(JournalSpace.fileBytes(journal.path()), usedBytes.get(), config.diskBudgetBytes(),
                reclaimedBytes.get(), deletedExpired.get(), deletedBudgetAcked.get(), deletedBudgetUnacked.get(),
                gapsRecorded.get(), passes.get(), Optional.ofNullable(lastPass), deleteNanos.get());
    }

    private long measureUsed() {
        long used = journal.write(JournalSpace::usedBytes).join();
        usedBytes.set(used);
        return used;
    }

    /** Returns free pages to the file system, a few hundred per writer transaction, then checkpoints. */
    private void reclaim() {
        long pages = 0;
        long n;
        do {
            n = journal.write(c -> JournalSpace.vacuumStep(c, VACUUM_PAGES)).join();
            pages += n;
        } while (n == VACUUM_PAGES);
        long pageSize = journal.write(JournalSpace::pageSize).join();
        reclaimedBytes.addAndGet(pages * pageSize);
        journal.maintain(c -> {
            JournalSpace.checkpoint(c);
            return null;
        }).join();
        measureUsed();
    }

    /** Deletes acknowledged events of {@code stream} that occurred before {@code cutoff}, batch by batch. */
    private void expire(EventStream stream, Instant cutoff) {
        long cutoffUs = Micros.of(cutoff);
        int n;
        do {
            n = timed(c -> stream == EventStream.READINGS ? expireReadings(c, cutoffUs) : expireIndexed(c, stream, cutoffUs));
            deletedExpired.addAndGet(n);
        } while (n == BATCH);
    }

    /** Streams in the time index: it finds the old rows without walking the whole stream. */
    private static int expireIndexed(Connection c, EventStream stream, long cutoffUs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE stream = ?1 AND seq IN ("
                + "SELECT seq FROM events WHERE occurred_us < ?2 AND " + Journal.NOT_READINGS + " AND +stream = ?1"
                + " AND +seq <= (SELECT acked_seq FROM streams WHERE stream = ?1) ORDER BY occurred_us LIMIT ?3)")) {
            ps.setString(1, stream.wireName());
            ps.setLong(2, cutoffUs);
            ps.setInt(3, BATCH);
            return ps.executeUpdate();
        }
    }

    /**
     * Raw readings are in no time index but follow their sequence numbers in time: the oldest
     * acknowledged ones, in seq order, up to the first that is not yet old enough.
     */
    private static int expireReadings(Connection c, long cutoffUs) throws SQLException {
        String stream = EventStream.READINGS.wireName();
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, occurred_us FROM events WHERE stream = ?1"
                + " AND seq <= (SELECT acked_seq FROM streams WHERE stream = ?1) ORDER BY seq LIMIT ?2")) {
            ps.setString(1, stream);
            ps.setInt(2, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && rs.getLong(2) < cutoffUs) {
                    last = rs.getLong(1);
                }
            }
        }
        if (last == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE stream = ? AND seq <= ?")) {
            ps.setString(1, stream);
            ps.setLong(2, last);
            return ps.executeUpdate();
        }
    }

    private interface Step {
        int deleteBatch();
    }

    private long deleteWhileOver(long target, Step step) {
        long total = 0;
        while (measureUsed() > target) {
            int n = step.deleteBatch();
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private int deleteOldestAcked() {
        int n = timed(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE stream = ?1 AND seq IN ("
                    + "SELECT seq FROM events WHERE stream = ?1 AND seq <= (SELECT acked_seq FROM streams WHERE stream = ?1)"
                    + " ORDER BY seq LIMIT ?2)")) {
                ps.setString(1, EventStream.READINGS.wireName());
                ps.setInt(2, BATCH);
                return ps.executeUpdate();
            }
        });
        deletedBudgetAcked.addAndGet(n);
        return n;
    }

    /**
     * Deletes the oldest unsent readings — only ones already summarised in an aggregate — and
     * records them as a gap in the same transaction, extending an undeclared gap they follow.
     */
    private int deleteOldestUnacked() {
        Instant safeBefore = aggregatedBefore.get();
        long safeBeforeUs = safeBefore.isAfter(FAR_FUTURE) ? Long.MAX_VALUE : Micros.of(safeBefore);
        long lostUs = Micros.of(clock.instant());
        int n = timed(c -> {
            String stream = EventStream.READINGS.wireName();
            long acked;
            try (PreparedStatement ps = c.prepareStatement("SELECT acked_seq FROM streams WHERE stream = ?")) {
                ps.setString(1, stream);
                try (ResultSet rs = ps.executeQuery()) {
                    acked = rs.next() ? rs.getLong(1) : 0;
                }
            }
            List<Long> seqs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, occurred_us FROM events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, stream);
                ps.setLong(2, acked);
                ps.setInt(3, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && rs.getLong(2) < safeBeforeUs) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            if (seqs.isEmpty()) {
                return 0;
            }
            long from = seqs.get(0);
            long to = seqs.get(seqs.size() - 1);
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE stream = ? AND seq BETWEEN ? AND ?")) {
                ps.setString(1, stream);
                ps.setLong(2, from);
                ps.setLong(3, to);
                deleted = ps.executeUpdate();
            }
            recordGap(c, stream, from, to, lostUs);
            return deleted;
        });
        deletedBudgetUnacked.addAndGet(n);
        return n;
    }

    private void recordGap(Connection c, String stream, long from, long to, long lostUs) throws SQLException {
        try (PreparedStatement extend = c.prepareStatement("UPDATE gaps SET to_seq = ?, lost_us = ?"
                + " WHERE stream = ? AND to_seq = ? AND declared_us IS NULL")) {
            extend.setLong(1, to);
            extend.setLong(2, lostUs);
            extend.setString(3, stream);
            extend.setLong(4, from - 1);
            if (extend.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO gaps (stream, from_seq, to_seq, reason, lost_us) VALUES (?, ?, ?, ?, ?)")) {
            ins.setString(1, stream);
            ins.setLong(2, from);
            ins.setLong(3, to);
            ins.setString(4, DISK_BUDGET);
            ins.setLong(5, lostUs);
            ins.executeUpdate();
        }
        gapsRecorded.incrementAndGet();
        LOG.warn("journal retention: deleting unsent {} from seq {} to stay under the disk budget; recorded as a gap "
                + "for the data center", stream, from);
    }

    private int timed(SqlWork<Integer> work) {
        long t0 = System.nanoTime();
        try {
            return journal.write(work).join();
        } finally {
            deleteNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.close();
        }
    }
}
