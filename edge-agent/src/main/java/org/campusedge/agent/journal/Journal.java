package org.campusedge.agent.journal;

import org.campusedge.agent.config.StorageConfig;
import org.campusedge.sync.uplink.Outbox;
import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The box's SQLite journal: the single source of truth for everything that happened here.
 * WAL mode, schema migrations, one writer thread with group commit ({@link JournalWriter}),
 * per-stream gap-free sequence numbers assigned at commit, and the outbox the uplink drains.
 *
 * <p>Writes go through the writer thread only. Reads use a separate connection, serialised by a
 * lock; WAL lets them run while the writer commits.
 */
public final class Journal implements Outbox, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /**
     * Raw readings are in neither the time nor the room index: a query that should use those
     * indexes must carry this term, literally (see {@link JournalSchema#NOT_READINGS}).
     */
    public static final String NOT_READINGS = JournalSchema.NOT_READINGS;

    private final Path path;
    private final Connection writeConnection;
    private final Connection readConnection;
    private final JournalWriter writer;
    private final Clock clock;
    private final Map<EventStream, Long> lastSeq = new ConcurrentHashMap<>();
    private final Map<EventStream, Long> ackedSeq = new ConcurrentHashMap<>();
    private final List<Consumer<List<JournalEvent>>> commitListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Journal(Path path, Connection writeConnection, Connection readConnection, StorageConfig config,
                    Clock clock) throws SQLException {
        this.path = path;
        this.writeConnection = writeConnection;
        this.readConnection = readConnection;
        this.clock = clock;
        loadMarks();
        Map<EventStream, Long> seqs = new EnumMap<>(EventStream.class);
        seqs.putAll(lastSeq);
        this.writer = new JournalWriter(writeConnection, config, clock, seqs, this::committed);
    }

    /** Opens (creating if needed) and migrates the journal, then starts its writer thread. */
    public static Journal open(StorageConfig config, Clock clock) {
        Path path = config.path().toAbsolutePath();
        Connection write = null;
        try {
            Path dir = path.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            write = connect(path, config, false);
            JournalSpace.enableIncrementalVacuum(write, path);
            int found = JournalSchema.migrate(write);
            if (found < JournalSchema.latestVersion()) {
                LOG.info("journal {}: schema migrated from version {} to {}", path, found, JournalSchema.latestVersion());
            }
            Connection read = connect(path, config, true);
            Journal journal = new Journal(path, write, read, config, clock);
            journal.writer.start();
            return journal;
        } catch (SQLException | IOException e) {
            closeQuietly(write);
            throw new JournalException(JournalException.Reason.OPEN_FAILED,
                    "cannot open journal " + path + ": " + e.getMessage(), e);
        } catch (JournalException e) {
            closeQuietly(write);
            throw e;
        }
    }

    private static Connection connect(Path path, StorageConfig config, boolean readOnly) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(config.durability() == StorageConfig.Durability.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout(5_000);
        c.enforceForeignKeys(true);
        c.setReadOnly(readOnly);
        return DriverManager.getConnection("jdbc:sqlite:" + path, c.toProperties());
    }

    private void loadMarks() throws SQLException {
        try (Statement s = writeConnection.createStatement();
             ResultSet rs = s.executeQuery("SELECT stream, last_seq, acked_seq FROM streams")) {
            while (rs.next()) {
                EventStream stream = EventStream.fromWireName(rs.getString(1));
                lastSeq.put(stream, rs.getLong(2));
                ackedSeq.put(stream, rs.getLong(3));
            }
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Queues an event for the next group commit. The future completes, with the event's sequence
     * number, once it is durably committed; it fails with {@link JournalException} if it could not be.
     */
    public CompletableFuture<JournalEvent> append(JournalEntry entry) {
        return writer.append(entry);
    }

    /**
     * Queues {@code entries} for the next group commit, in order and together (one hand-off for a
     * batch of sensor readings); the future completes with their events once committed.
     */
    public CompletableFuture<List<JournalEvent>> appendAll(List<JournalEntry> entries) {
        return writer.appendAll(entries);
    }

    /** Runs work on the writer thread in its own transaction (for tables besides events). */
    public <T> CompletableFuture<T> write(SqlWork<T> work) {
        return writer.submit(work);
    }

    /**
     * Runs {@code compute} on the writer thread in a transaction and appends the entries it
     * returns in that same transaction: whatever else it wrote (a mark in {@code meta}) commits
     * with the events or not at all.
     */
    public CompletableFuture<List<JournalEvent>> appendDerived(SqlWork<List<JournalEntry>> compute) {
        return writer.appendDerived(compute);
    }

    /** Runs work on the writer thread outside any transaction (checkpoints, incremental vacuum). */
    <T> CompletableFuture<T> maintain(SqlWork<T> work) {
        return writer.submitOutsideTransaction(work);
    }

    /** Runs a read on the read connection. */
    public <T> T read(SqlWork<T> work) {
        synchronized (readConnection) {
            try {
                return work.run(readConnection);
            } catch (SQLException e) {
                throw new JournalException(JournalException.Reason.READ_FAILED, "journal read failed: " + e.getMessage(), e);
            }
        }
    }

    /** Called on the writer thread after every commit of events. Must be quick. */
    public void onCommit(Consumer<List<JournalEvent>> listener) {
        commitListeners.add(listener);
    }

    private void committed(List<JournalEvent> events) {
        // The highest seq of each run of one stream, merged once per run: a batch of readings is
        // one run, and a merge per event would box every seq.
        EventStream stream = null;
        long highest = 0;
        for (int i = 0; i < events.size(); i++) {
            JournalEvent e = events.get(i);
            if (e.stream() != stream) {
                if (stream != null) {
                    lastSeq.merge(stream, highest, Math::max);
                }
                stream = e.stream();
                highest = e.seq();
            } else {
                highest = Math.max(highest, e.seq());
            }
        }
        if (stream != null) {
            lastSeq.merge(stream, highest, Math::max);
        }
        for (Consumer<List<JournalEvent>> l : commitListeners) {
            try {
                l.accept(events);
            } catch (RuntimeException ex) {
                LOG.warn("journal commit listener failed: {}", ex.toString());
            }
        }
    }

    /**
     * Recent events matching {@code query}, newest first (one page of {@link #page(EventQuery)}).
     */
    public List<JournalEvent> query(EventQuery query) {
        return page(query).events();
    }

    /**
     * One page of events matching {@code query}, newest first, continuing after its cursor, and the
     * cursor of the next page.
     *
     * <p>Events other than raw readings come from the partial time or room index, newest first by
     * {@code (occurred_us, stream, seq)}: the index's own order, since each entry ends in the primary
     * key, so SQLite walks it backwards with no sort. Raw readings are in neither index, so they are
     * searched apart: backwards by sequence number, from the first committed at or after
     * {@code since} (commit times follow sequence numbers). The two are merged head by head, so each
     * page takes a prefix of both and the cursor knows where each part stopped.
     */
    public EventPage page(EventQuery query) {
        boolean readings = query.coversReadings() && query.before().readingsBefore().orElse(Long.MAX_VALUE) > 1;
        boolean others = query.coversIndexed() && !query.before().indexedDone();
        return read(c -> {
            List<JournalEvent> indexed = others ? queryIndexed(c, query) : List.of();
            List<JournalEvent> raw = readings ? queryReadings(c, query) : List.of();
            List<JournalEvent> out = new ArrayList<>(Math.min(query.limit(), indexed.size() + raw.size()));
            int i = 0;
            int r = 0;
            while (out.size() < query.limit() && (i < indexed.size() || r < raw.size())) {
                boolean takeIndexed = r >= raw.size() || i < indexed.size()
                        && EventCursor.Key.of(indexed.get(i)).compareNewestFirst(EventCursor.Key.of(raw.get(r))) <= 0;
                out.add(takeIndexed ? indexed.get(i++) : raw.get(r++));
            }
            // A part is exhausted when it returned less than a page and all of it was taken.
            boolean indexedDone = !query.coversIndexed() || query.before().indexedDone()
                    || indexed.size() < query.limit() && i == indexed.size();
            boolean readingsDone = !query.coversReadings() || !readings
                    || raw.size() < query.limit() && r == raw.size();
            if (indexedDone && readingsDone) {
                return new EventPage(out, Optional.empty());
            }
            Optional<EventCursor.Key> lastIndexed = i > 0 ? Optional.of(EventCursor.Key.of(indexed.get(i - 1)))
                    : query.before().indexed();
            OptionalLong readingsBefore = readingsDone ? OptionalLong.of(1)
                    : r > 0 ? OptionalLong.of(raw.get(r - 1).seq()) : query.before().readingsBefore();
            return new EventPage(out, Optional.of(new EventCursor(indexedDone ? Optional.empty() : lastIndexed,
                    indexedDone, query.coversReadings() ? readingsBefore : OptionalLong.empty())));
        });
    }

    private static List<JournalEvent> queryIndexed(Connection c, EventQuery query) throws SQLException {
        List<Object> args = new ArrayList<>();
        return select(c, indexedSql(query, args), args);
    }

    /** The SQL of the indexed part of {@code query}, its arguments added to {@code args} (tests read its plan). */
    static StringBuilder indexedSql(EventQuery query, List<Object> args) {
        StringBuilder sql = new StringBuilder(
                "SELECT stream, seq, type, occurred_us, recorded_us, room, payload FROM events WHERE " + NOT_READINGS);
        query.stream().ifPresent(s -> {
            // "+stream": not a primary-key lookup, which would read the whole stream and sort it;
            // the time or room index gives the page order and the stream is tested per row.
            sql.append(" AND +stream = ?");
            args.add(s.wireName());
        });
        filters(query, sql, args);
        query.card().ifPresent(card -> {
            // No index on cards: the time or room index bounds the rows, the payload is tested per row.
            sql.append(" AND json_extract(payload, '$.card') = ?");
            args.add(card);
        });
        query.before().indexed().ifPresent(k -> {
            // The leading "occurred_us <= ?" is what the index range uses; the rest breaks ties.
            sql.append(" AND occurred_us <= ? AND (occurred_us < ? OR stream < ? OR stream = ? AND seq < ?)");
            args.addAll(List.of(k.occurredUs(), k.occurredUs(), k.stream(), k.stream(), k.seq()));
        });
        sql.append(" ORDER BY occurred_us DESC, stream DESC, seq DESC LIMIT ?");
        args.add(query.limit());
        return sql;
    }

    private static List<JournalEvent> queryReadings(Connection c, EventQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT stream, seq, type, occurred_us, recorded_us, room, payload FROM events WHERE stream = ?");
        List<Object> args = new ArrayList<>();
        args.add(EventStream.READINGS.wireName());
        if (query.since().isPresent()) {
            sql.append(" AND seq >= ?");
            args.add(firstReadingRecordedAtOrAfter(c, Micros.of(query.since().get())));
        }
        query.before().readingsBefore().ifPresent(seq -> {
            sql.append(" AND seq < ?");
            args.add(seq);
        });
        filters(query, sql, args);
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit());
        return select(c, sql, args);
    }

    private static void filters(EventQuery query, StringBuilder sql, List<Object> args) {
        query.type().ifPresent(t -> {
            sql.append(" AND type = ?");
            args.add(t);
        });
        query.room().ifPresent(r -> {
            sql.append(" AND room = ?");
            args.add(r);
        });
        query.since().ifPresent(t -> {
            sql.append(" AND occurred_us >= ?");
            args.add(Micros.of(t));
        });
        query.until().ifPresent(t -> {
            sql.append(" AND occurred_us < ?");
            args.add(Micros.of(t));
        });
    }

    private static List<JournalEvent> select(Connection c, StringBuilder sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return events(ps);
        }
    }

    /**
     * The lowest readings seq committed at or after {@code us}: a binary search over sequence
     * numbers, since the writer never lets commit times go back (a few primary-key lookups).
     */
    private static long firstReadingRecordedAtOrAfter(Connection c, long us) throws SQLException {
        try (PreparedStatement at = c.prepareStatement(
                "SELECT seq, recorded_us FROM events WHERE stream = 'readings' AND seq >= ? ORDER BY seq LIMIT 1")) {
            long lo = 0;
            long hi;
            try (Statement last = c.createStatement();
                 ResultSet rs = last.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE stream = 'readings'")) {
                hi = rs.next() ? rs.getLong(1) : 1; // the primary key's last entry: one lookup
            }
            // Invariant: every reading below lo was committed before us; the answer is at most hi.
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                at.setLong(1, mid);
                try (ResultSet rs = at.executeQuery()) {
                    if (!rs.next()) {
                        hi = mid;
                    } else if (rs.getLong(2) < us) {
                        lo = rs.getLong(1) + 1;
                    } else {
                        hi = Math.min(mid, rs.getLong(1));
                        if (hi < lo) {
                            hi = lo;
                        }
                    }
                }
            }
            return lo;
        }
    }

    /** Up to {@code max} committed events of {@code stream} after {@code afterSeq}, in sequence order. */
    public List<JournalEvent> events(EventStream stream, long afterSeq, int max) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT stream, seq, type, occurred_us, recorded_us, room, payload FROM events"
                            + " WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, stream.wireName());
                ps.setLong(2, afterSeq);
                ps.setInt(3, max);
                return events(ps);
            }
        });
    }

    /** When the oldest event of {@code stream} not yet acknowledged by the data center happened; empty if none. */
    public Optional<java.time.Instant> oldestPending(EventStream stream) {
        return occurredAfter(stream, ackedSeq.getOrDefault(stream, 0L));
    }

    /** When the first committed event of {@code stream} after {@code seq} happened: one primary-key lookup. */
    private Optional<java.time.Instant> occurredAfter(EventStream stream, long seq) {
        if (lastSeq.getOrDefault(stream, 0L) <= seq) {
            return Optional.empty();
        }
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT occurred_us FROM events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT 1")) {
                ps.setString(1, stream.wireName());
                ps.setLong(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Micros.toInstant(rs.getLong(1))) : Optional.<java.time.Instant>empty();
                }
            }
        });
    }

    /** Number of committed events in {@code stream}. */
    public long count(EventStream stream) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE stream = ?")) {
                ps.setString(1, stream.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Events not yet acknowledged by the data center, per stream. */
    public Map<EventStream, Long> pending() {
        Map<EventStream, Long> out = new EnumMap<>(EventStream.class);
        for (EventStream s : EventStream.values()) {
            out.put(s, Math.max(0, lastSeq.getOrDefault(s, 0L) - ackedSeq.getOrDefault(s, 0L)));
        }
        return out;
    }

    public JournalWriterStats writerStats() {
        return writer.stats();
    }

    // ---- Outbox: what the uplink sees ----

    @Override
    public List<String> streams() {
        return Arrays.stream(EventStream.values()).map(EventStream::wireName).toList();
    }

    @Override
    public long ackedSeq(String stream) {
        return ackedSeq.getOrDefault(EventStream.fromWireName(stream), 0L);
    }

    @Override
    public long lastSeq(String stream) {
        return lastSeq.getOrDefault(EventStream.fromWireName(stream), 0L);
    }

    @Override
    public Optional<java.time.Instant> occurredAfter(String stream, long seq) {
        return occurredAfter(EventStream.fromWireName(stream), seq);
    }

    @Override
    public List<WireEvent> after(String stream, long afterSeq, int max) {
        return events(EventStream.fromWireName(stream), afterSeq, max).stream().map(JournalEvent::toWire).toList();
    }

    @Override
    public void acknowledge(String stream, long seq) {
        EventStream s = EventStream.fromWireName(stream);
        if (seq <= ackedSeq.getOrDefault(s, 0L)) {
            return;
        }
        long acked = writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE streams SET acked_seq = MAX(acked_seq, MIN(?, last_seq)) WHERE stream = ?")) {
                ps.setLong(1, seq);
                ps.setString(2, stream);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT acked_seq FROM streams WHERE stream = ?")) {
                ps.setString(1, stream);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        }).join();
        ackedSeq.merge(s, acked, Math::max);
    }

    @Override
    public List<WireGap> undeclaredGaps(String stream) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT from_seq, to_seq, reason, lost_us FROM gaps"
                    + " WHERE stream = ? AND declared_us IS NULL ORDER BY from_seq")) {
                ps.setString(1, stream);
                List<WireGap> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(WireGap.of(rs.getLong(1), rs.getLong(2), rs.getString(3), Micros.toInstant(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void gapDeclared(String stream, WireGap gap) {
        writer.submit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE gaps SET declared_us = ? WHERE stream = ? AND from_seq = ? AND declared_us IS NULL")) {
                ps.setLong(1, Micros.of(clock.instant()));
                ps.setString(2, stream);
                ps.setLong(3, gap.fromSeq());
                return ps.executeUpdate();
            }
        }).join();
    }

    /** Gaps recorded on this box, declared to the center or not yet. */
    public GapTotals gapTotals() {
        return read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(to_seq - from_seq + 1), 0),"
                         + " COUNT(declared_us) FROM gaps")) {
                rs.next();
                return new GapTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    /**
     * Gaps recorded on this box.
     *
     * @param gaps       runs of unsent events deleted
     * @param eventsLost events in them
     * @param declared   gaps the data center has on record
     */
    public record GapTotals(long gaps, long eventsLost, long declared) {
    }

    Clock clock() {
        return clock;
    }

    private static List<JournalEvent> events(PreparedStatement ps) throws SQLException {
        List<JournalEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new JournalEvent(EventStream.fromWireName(rs.getString(1)), rs.getLong(2), rs.getString(3),
                        Micros.toInstant(rs.getLong(4)), Micros.toInstant(rs.getLong(5)),
                        Optional.ofNullable(rs.getString(6)), rs.getString(7)));
            }
        }
        return out;
    }

    /** Commits everything queued, stops the writer and closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        synchronized (readConnection) {
            closeQuietly(readConnection);
        }
        closeQuietly(writeConnection);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("journal: close failed: {}", e.getMessage());
        }
    }
}
