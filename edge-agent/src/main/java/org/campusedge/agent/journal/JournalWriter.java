package org.campusedge.agent.journal;

import org.campusedge.agent.config.StorageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The journal's single writer. Owns the write connection and the {@code journal-writer} thread;
 * nothing else writes the file. Callers enqueue appends and get a future that completes when the
 * event is committed. The thread gathers whatever is queued — waiting at most the group-commit
 * window for more — into one transaction, assigns each event the next sequence number of its
 * stream inside that transaction, commits, then completes the futures: many events share one
 * fsync, and a sequence number exists only once its event is on disk.
 */
final class JournalWriter implements AutoCloseable {

    private sealed interface Op permits Append, AppendAll, Work, Derived {
    }

    /** Many entries from one caller (a batch of sensor readings): one queue entry, one future. */
    private record AppendAll(List<JournalEntry> entries, CompletableFuture<List<JournalEvent>> done) implements Op {
    }

    /** Events computed inside their own transaction, committed together with whatever else the work wrote. */
    private record Derived(SqlWork<List<JournalEntry>> compute, CompletableFuture<List<JournalEvent>> done)
            implements Op {
    }

    private record Append(JournalEntry entry, CompletableFuture<JournalEvent> done) implements Op {
    }

    private record Work<T>(SqlWork<T> work, CompletableFuture<T> done, boolean transactional) implements Op {
        /** Runs the work; the returned action completes the future and must run only after commit. */
        Runnable run(Connection c) throws SQLException {
            T result = work.run(c);
            return () -> done.complete(result);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int ATTEMPTS = 3;
    private static final Op STOP = new Work<>(c -> null, new CompletableFuture<>(), true);

    private final Connection connection;
    private final StorageConfig config;
    private final Clock clock;
    private final Map<EventStream, Long> lastSeq;
    private final Consumer<List<JournalEvent>> onCommit;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedEvents = new AtomicLong();
    private final AtomicLong failedCommits = new AtomicLong();
    private final AtomicLong largestBatch = new AtomicLong();
    private volatile boolean accepting = true;
    /** Writer thread only. */
    private long lastRecordedMicros;

    JournalWriter(Connection connection, StorageConfig config, Clock clock, Map<EventStream, Long> lastSeq,
                  Consumer<List<JournalEvent>> onCommit) {
        this.connection = connection;
        this.config = config;
        this.clock = clock;
        this.lastSeq = new EnumMap<>(lastSeq);
        this.onCommit = onCommit;
        this.lastRecordedMicros = lastRecorded(connection);
        this.thread = new Thread(this::run, "journal-writer");
        this.thread.setDaemon(false);
    }

    /** The latest commit time in the file: the newest event of each stream (primary-key lookups). */
    private static long lastRecorded(Connection c) {
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT recorded_us FROM events WHERE stream = ? ORDER BY seq DESC LIMIT 1")) {
            for (EventStream s : EventStream.values()) {
                ps.setString(1, s.wireName());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        last = Math.max(last, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new JournalException(JournalException.Reason.OPEN_FAILED, "cannot read the last commit time: " + e.getMessage(), e);
        }
        return last;
    }

    void start() {
        thread.start();
    }

    CompletableFuture<JournalEvent> append(JournalEntry entry) {
        CompletableFuture<JournalEvent> done = new CompletableFuture<>();
        enqueue(new Append(entry, done), done);
        return done;
    }

    /** Appends {@code entries} in order, in one transaction; the future completes once they are committed. */
    CompletableFuture<List<JournalEvent>> appendAll(List<JournalEntry> entries) {
        CompletableFuture<List<JournalEvent>> done = new CompletableFuture<>();
        if (entries.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        enqueue(new AppendAll(List.copyOf(entries), done), done);
        return done;
    }

    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue(new Work<>(work, done, true), done);
        return done;
    }

    /** Work outside any transaction (auto-commit), for statements SQLite refuses inside one. */
    <T> CompletableFuture<T> submitOutsideTransaction(SqlWork<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue(new Work<>(work, done, false), done);
        return done;
    }

    /**
     * Runs {@code compute} in a transaction of its own and appends the entries it returns in that
     * same transaction, with their sequence numbers: what the work wrote and the events commit or
     * vanish together.
     */
    CompletableFuture<List<JournalEvent>> appendDerived(SqlWork<List<JournalEntry>> compute) {
        CompletableFuture<List<JournalEvent>> done = new CompletableFuture<>();
        enqueue(new Derived(compute, done), done);
        return done;
    }

    private void enqueue(Op op, CompletableFuture<?> done) {
        if (!accepting) {
            done.completeExceptionally(new JournalException(JournalException.Reason.CLOSED, "journal is closed"));
            return;
        }
        queue.add(op);
    }

    JournalWriterStats stats() {
        return new JournalWriterStats(commits.get(), committedEvents.get(), failedCommits.get(), largestBatch.get(),
                queue.size());
    }

    private void run() {
        List<Op> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.clear();
                Op first = queue.take();
                batch.add(first);
                gather(batch);
                stopping = batch.remove(STOP);
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            } catch (RuntimeException e) {
                LOG.error("journal writer: unexpected failure, continuing", e);
            }
        }
        List<Op> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.remove(STOP);
        process(rest);
        if (statements != null) {
            statements.close();
            statements = null;
        }
    }

    /**
     * Adds what is already queued, then lets the group-commit window pass and adds what came
     * meanwhile, until the batch holds {@code maxBatch} events (a batch of readings counts as its
     * size). The thread sleeps through the window rather than waiting on the queue, so the many
     * appends of a busy window do not each wake it.
     */
    private void gather(List<Op> batch) throws InterruptedException {
        if (batch.get(0) == STOP) {
            return;
        }
        int max = config.maxBatch();
        int events = size(batch.get(0));
        long deadline = System.nanoTime() + config.groupCommitWindow().toNanos();
        while (events < max) {
            Op next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("journal writer interrupted");
                }
                continue;
            }
            batch.add(next);
            if (next == STOP) {
                return;
            }
            events += size(next);
        }
    }

    private static int size(Op op) {
        return op instanceof AppendAll a ? a.entries().size() : 1;
    }

    private void process(List<Op> batch) {
        List<Op> appends = new ArrayList<>();
        List<Op> others = new ArrayList<>();
        for (Op op : batch) {
            if (op instanceof Append || op instanceof AppendAll) {
                appends.add(op);
            } else {
                others.add(op);
            }
        }
        if (!appends.isEmpty()) {
            commitAppends(appends);
        }
        for (Op op : others) {
            if (op instanceof Work<?> w) {
                runWork(w);
            } else if (op instanceof Derived d) {
                runDerived(d);
            }
        }
    }

    private void runDerived(Derived d) {
        Map<EventStream, Long> seqs = new EnumMap<>(lastSeq);
        List<JournalEvent> events;
        try {
            connection.setAutoCommit(false);
            try {
                List<JournalEntry> entries = d.compute().run(connection);
                events = insert(entries, seqs);
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            failedCommits.incrementAndGet();
            d.done().completeExceptionally(new JournalException(JournalException.Reason.WRITE_FAILED,
                    "journal write failed: " + e.getMessage(), e));
            return;
        }
        lastSeq.putAll(seqs);
        if (!events.isEmpty()) {
            commits.incrementAndGet();
            committedEvents.addAndGet(events.size());
            largestBatch.accumulateAndGet(events.size(), Math::max);
            onCommit.accept(events);
        }
        d.done().complete(events);
    }

    private void commitAppends(List<Op> appends) {
        List<JournalEntry> entries = new ArrayList<>();
        for (Op op : appends) {
            if (op instanceof Append a) {
                entries.add(a.entry());
            } else if (op instanceof AppendAll a) {
                entries.addAll(a.entries());
            }
        }
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<EventStream, Long> seqs = new EnumMap<>(lastSeq);
            try {
                List<JournalEvent> events;
                connection.setAutoCommit(false);
                try {
                    events = insert(entries, seqs);
                    connection.commit();
                } finally {
                    connection.setAutoCommit(true);
                }
                lastSeq.putAll(seqs);
                commits.incrementAndGet();
                committedEvents.addAndGet(events.size());
                largestBatch.accumulateAndGet(events.size(), Math::max);
                // Marks first, then futures: whoever waits on a future sees lastSeq already advanced.
                onCommit.accept(events);
                complete(appends, events);
                return;
            } catch (SQLException e) {
                last = e;
                rollbackQuietly();
                pause(attempt);
            }
        }
        failedCommits.incrementAndGet();
        LOG.error("journal: could not commit {} events after {} attempts: {}", entries.size(), ATTEMPTS,
                last.getMessage());
        JournalException failure = new JournalException(JournalException.Reason.WRITE_FAILED,
                "journal commit failed: " + last.getMessage(), last);
        for (Op op : appends) {
            if (op instanceof Append a) {
                a.done().completeExceptionally(failure);
            } else if (op instanceof AppendAll a) {
                a.done().completeExceptionally(failure);
            }
        }
    }

    /** Hands each caller its events, in the order their entries were inserted. */
    private static void complete(List<Op> appends, List<JournalEvent> events) {
        int i = 0;
        for (Op op : appends) {
            if (op instanceof Append a) {
                a.done().complete(events.get(i++));
            } else if (op instanceof AppendAll a) {
                int n = a.entries().size();
                a.done().complete(events.subList(i, i + n));
                i += n;
            }
        }
    }

    /**
     * Readings per multi-row INSERT: one statement step for this many rows instead of one each
     * (5 parameters a row, far below SQLite's limit of 32,766).
     */
    static final int READING_ROWS = 64;

    /** The writer's own prepared statements; writer thread only, closed with the writer. */
    private record Statements(PreparedStatement any, PreparedStatement reading, PreparedStatement readings,
                              PreparedStatement mark) {
        void close() {
            for (PreparedStatement p : new PreparedStatement[] {any, reading, readings, mark}) {
                try {
                    p.close();
                } catch (SQLException e) {
                    LOG.debug("journal: closing a statement: {}", e.getMessage());
                }
            }
        }
    }

    private Statements statements;

    private Statements statements() throws SQLException {
        if (statements == null) {
            String columns = "INSERT INTO events (stream, seq, type, occurred_us, recorded_us, room, payload) VALUES ";
            String readingRow = "('" + EventStream.READINGS.wireName() + "',?,'" + EventType.SENSOR_READING.wireName() + "',?,?,?,?)";
            statements = new Statements(connection.prepareStatement(columns + "(?,?,?,?,?,?,?)"),
                    connection.prepareStatement(columns + readingRow),
                    connection.prepareStatement(columns + String.join(",", java.util.Collections.nCopies(READING_ROWS, readingRow))),
                    connection.prepareStatement("UPDATE streams SET last_seq = ? WHERE stream = ?"));
        }
        return statements;
    }

    private List<JournalEvent> insert(List<JournalEntry> entries, Map<EventStream, Long> seqs) throws SQLException {
        // Never before the previous commit, even if the clock steps back: recorded times follow the
        // sequence numbers, so a time range of a stream is a range of its sequence numbers.
        long nowMicros = Math.max(Micros.of(clock.instant()), lastRecordedMicros);
        lastRecordedMicros = nowMicros;
        // Committed events carry the times as stored (microseconds), so listeners see what a read returns.
        Instant now = Micros.toInstant(nowMicros);
        List<JournalEvent> events = new ArrayList<>(entries.size());
        if (entries.isEmpty()) {
            return events;
        }
        // Prepared once and kept (preparing is dearer than a row); readings share their stream and
        // type, written into their statement rather than bound for every row.
        Statements st = statements();
        PreparedStatement ins = st.any();
        PreparedStatement mark = st.mark();
        // A batch that failed half way must not ride along with the retry.
        ins.clearBatch();
        mark.clearBatch();
        boolean anyOther = false;
        // Readings are bound after the loop, many rows per statement: which events they are, and their times.
        int[] readings = new int[entries.size()];
        long[] readingMicros = new long[entries.size()];
        int readingCount = 0;
        for (JournalEntry e : entries) {
            EventStream stream = e.type().stream();
            long seq = seqs.merge(stream, 1L, Long::sum);
            long occurredMicros = Micros.of(e.occurredAt());
            if (e.type() == EventType.SENSOR_READING) {
                readings[readingCount] = events.size();
                readingMicros[readingCount++] = occurredMicros;
            } else {
                ins.setString(1, stream.wireName());
                ins.setLong(2, seq);
                ins.setString(3, e.type().wireName());
                ins.setLong(4, occurredMicros);
                ins.setLong(5, nowMicros);
                ins.setString(6, e.room().orElse(null));
                ins.setString(7, e.payloadJson());
                ins.addBatch();
                anyOther = true;
            }
            Instant occurred = e.occurredAt().getNano() % 1000 == 0 ? e.occurredAt() : Micros.toInstant(occurredMicros);
            events.add(new JournalEvent(stream, seq, e.type().wireName(), occurred, now, e.room(), e.payloadJson(),
                    e.reading()));
        }
        insertReadings(st, events, readings, readingMicros, readingCount, nowMicros);
        if (anyOther) {
            ins.executeBatch();
        }
        for (Map.Entry<EventStream, Long> s : seqs.entrySet()) {
            if (!s.getValue().equals(lastSeq.get(s.getKey()))) {
                mark.setLong(1, s.getValue());
                mark.setString(2, s.getKey().wireName());
                mark.addBatch();
            }
        }
        mark.executeBatch();
        return events;
    }

    /**
     * Inserts the readings among {@code events} — {@code count} of them, at the indexes in
     * {@code at}, {@code micros} their times — {@value #READING_ROWS} rows per statement, the rest
     * one row each.
     */
    private static void insertReadings(Statements st, List<JournalEvent> events, int[] at, long[] micros, int count,
                                       long nowMicros) throws SQLException {
        PreparedStatement many = st.readings();
        PreparedStatement one = st.reading();
        many.clearBatch();
        one.clearBatch();
        int i = 0;
        for (; i + READING_ROWS <= count; i += READING_ROWS) {
            for (int r = 0; r < READING_ROWS; r++) {
                bindReading(many, 5 * r, events.get(at[i + r]), micros[i + r], nowMicros);
            }
            many.addBatch();
        }
        for (; i < count; i++) {
            bindReading(one, 0, events.get(at[i]), micros[i], nowMicros);
            one.addBatch();
        }
        if (count >= READING_ROWS) {
            many.executeBatch();
        }
        if (count % READING_ROWS != 0) {
            one.executeBatch();
        }
    }

    private static void bindReading(PreparedStatement ps, int offset, JournalEvent e, long occurredMicros, long nowMicros)
            throws SQLException {
        ps.setLong(offset + 1, e.seq());
        ps.setLong(offset + 2, occurredMicros);
        ps.setLong(offset + 3, nowMicros);
        ps.setString(offset + 4, e.room().orElse(null));
        ps.setString(offset + 5, e.payloadJson());
    }

    private void runWork(Work<?> w) {
        try {
            connection.setAutoCommit(!w.transactional());
            Runnable complete = w.run(connection);
            if (w.transactional()) {
                connection.commit();
            }
            complete.run();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            failedCommits.incrementAndGet();
            w.done().completeExceptionally(new JournalException(JournalException.Reason.WRITE_FAILED,
                    "journal write failed: " + e.getMessage(), e));
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.warn("journal: cannot restore auto-commit: {}", e.getMessage());
            }
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("journal: rollback failed: {}", e.getMessage());
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(25L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, commits everything already queued, and stops the thread. */
    @Override
    public void close() {
        accepting = false;
        queue.add(STOP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("journal writer did not stop within 10 s");
        }
    }
}
