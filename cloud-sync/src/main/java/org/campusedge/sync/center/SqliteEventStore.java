package org.campusedge.sync.center;

import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.DeclaredGaps;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.StreamMarks;
import org.campusedge.sync.wire.WireEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The embedded {@link EventStore}: one SQLite file in WAL mode with {@code synchronous=FULL}, so
 * a batch the center acknowledged survives a power cut (the box forgets it after the ack).
 *
 * <p>Batches that arrive together are stored in one transaction, each in its own savepoint and
 * acknowledged only after the commit ({@link SqliteGroupCommit}).
 *
 * <p>Thread-safe through this object's monitor around a single connection. SQLite admits one
 * writer at a time anyway; a pool would only turn that into {@code SQLITE_BUSY} retries, and the
 * reads here are short. Several ingest processes on one file still work: transactions start with
 * {@code BEGIN IMMEDIATE} and wait up to the busy timeout for the lock.
 *
 * <p>Timestamps are stored as ISO-8601 text with exactly nine fraction digits, so text order is
 * time order.
 */
public final class SqliteEventStore implements EventStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);

    /** Schema migrations; entry n brings the schema from version n to n + 1. Never edit a released one. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE events (
                device      TEXT    NOT NULL,
                stream      TEXT    NOT NULL,
                seq         INTEGER NOT NULL,
                type        TEXT    NOT NULL,
                occurred_at TEXT    NOT NULL,
                received_at TEXT    NOT NULL,
                payload     TEXT    NOT NULL,
                PRIMARY KEY (device, stream, seq)
            ) WITHOUT ROWID""",
            """
            CREATE TABLE stream_marks (
                device    TEXT    NOT NULL,
                stream    TEXT    NOT NULL,
                acked_seq INTEGER NOT NULL,
                PRIMARY KEY (device, stream)
            )"""),
            // 2: gaps a box declared (events it lost before sending them).
            List.of("""
            CREATE TABLE gaps (
                device      TEXT    NOT NULL,
                stream      TEXT    NOT NULL,
                from_seq    INTEGER NOT NULL,
                to_seq      INTEGER NOT NULL,
                count       INTEGER NOT NULL,
                reason      TEXT    NOT NULL,
                lost_at     TEXT    NOT NULL,
                received_at TEXT    NOT NULL,
                PRIMARY KEY (device, stream, from_seq)
            ) WITHOUT ROWID"""),
            // 3: the room an event names, in a column, and the indexes of city-wide queries and reports
            // (as PostgreSQL has them); rows stored before get their room from the payload.
            List.of("ALTER TABLE events ADD COLUMN room TEXT",
                    "UPDATE events SET room = json_extract(payload, '$.room') "
                            + "WHERE json_valid(payload) AND json_type(payload, '$.room') = 'text'",
                    "CREATE INDEX events_by_device_time ON events (device, occurred_at)",
                    "CREATE INDEX events_by_room_time ON events (room, occurred_at) WHERE room IS NOT NULL",
                    "CREATE INDEX events_by_type_time ON events (type, occurred_at)"),
            // 4: the backlog each box reported last (events it still has to send, per stream).
            List.of("""
            CREATE TABLE device_backlog (
                device           TEXT    NOT NULL,
                stream           TEXT    NOT NULL,
                events           INTEGER NOT NULL,
                oldest_unsent_at TEXT,
                reported_at      TEXT    NOT NULL,
                PRIMARY KEY (device, stream)
            ) WITHOUT ROWID"""),
            // 5: events in blocks, one row per run of a stream's consecutive events from one batch
            // (see EventBlocks), the events a JSON array; rows stored before become blocks, cut
            // where their box times leave a MAX_SPAN bucket, and the view events shows rows.
            List.of("""
            CREATE TABLE event_blocks (
                device      TEXT    NOT NULL,
                stream      TEXT    NOT NULL,
                from_seq    INTEGER NOT NULL,
                to_seq      INTEGER NOT NULL,
                first_at    TEXT    NOT NULL,
                last_at     TEXT    NOT NULL,
                received_at TEXT    NOT NULL,
                types       TEXT    NOT NULL,
                rooms       TEXT    NOT NULL,
                events      TEXT    NOT NULL
            )""",
                    "CREATE UNIQUE INDEX event_blocks_key ON event_blocks (device, stream, to_seq)",
                    "CREATE INDEX event_blocks_by_time ON event_blocks (first_at)",
                    "CREATE INDEX event_blocks_by_device_time ON event_blocks (device, first_at)",
                    """
            INSERT INTO event_blocks (device, stream, from_seq, to_seq, first_at, last_at, received_at, types, rooms, events)
            SELECT device, stream, min(seq), max(seq), min(occurred_at), max(occurred_at), received_at,
                   json_group_array(DISTINCT type), json_group_array(DISTINCT room) FILTER (WHERE room IS NOT NULL),
                   json_group_array(json_array(type, room, occurred_at, json(payload)) ORDER BY seq)
            FROM (SELECT *, seq - row_number() OVER (PARTITION BY device, stream, received_at, bucket ORDER BY seq) AS run
                  FROM (SELECT *, CAST(strftime('%%s', occurred_at) AS INTEGER) / %d AS bucket FROM events))
            GROUP BY device, stream, received_at, bucket, run""".formatted(EventBlocks.MAX_SPAN.toSeconds()),
                    "DROP TABLE events",
                    """
            CREATE VIEW events AS
            SELECT b.device, b.stream, b.from_seq + j.key AS seq, j.value ->> 0 AS type, j.value ->> 1 AS room,
                   j.value ->> 2 AS occurred_at, b.received_at, j.value -> 3 AS payload
            FROM event_blocks b, json_each(b.events) j"""));
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final Connection db;
    private final SqliteGroupCommit writes;

    private SqliteEventStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
        this.writes = new SqliteGroupCommit(db, this, file.toString());
    }

    /** Opens (creating if needed) the database and brings its schema up to date. */
    public static SqliteEventStore open(Path file) {
        try {
            SqliteFiles.createFolder(file);
        } catch (IOException e) {
            throw new EventStoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        Connection db = null;
        try {
            db = SqliteFiles.connect(file);
            migrate(db, file);
            return new SqliteEventStore(file, db);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new EventStoreException("cannot open event store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The current schema version of a store. */
    public static int schemaVersion() {
        return MIGRATIONS.size();
    }

    @Override
    public IngestAck ingest(IngestBatch batch, Instant receivedAt) throws GapException {
        return writes.run(() -> store(batch, receivedAt), () -> "cannot store " + batch.deviceId() + "/" + batch.stream() + " "
                + batch.fromSeq() + ".." + batch.toSeq());
    }

    /** A batch's events beyond the stream's mark, and the raised mark; inside a transaction of {@link #writes}. */
    private IngestAck store(IngestBatch batch, Instant receivedAt) throws GapException, SQLException {
        String device = batch.deviceId();
        String stream = batch.stream();
        long acked = mark(device, stream);
        if (batch.fromSeq() > acked + 1) {
            throw new GapException(device, stream, acked, batch.fromSeq());
        }
        // Every seq up to the mark is held (the mark only advances over stored, contiguous
        // batches), so the new events are the batch's tail; each block is one row.
        List<WireEvent> fresh = batch.eventsAfter(acked);
        int stored = fresh.size();
        if (stored > 0) {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO event_blocks (device, stream, from_seq, to_seq, "
                    + "first_at, last_at, received_at, types, rooms, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                String received = TIME.format(receivedAt);
                for (EventBlocks.Block b : EventBlocks.cut(fresh, EventBlocks.micros(fresh))) {
                    insert.setString(1, device);
                    insert.setString(2, stream);
                    insert.setLong(3, fresh.get(b.from()).seq());
                    insert.setLong(4, fresh.get(b.to() - 1).seq());
                    insert.setString(5, TIME.format(b.firstAt()));
                    insert.setString(6, TIME.format(b.lastAt()));
                    insert.setString(7, received);
                    insert.setString(8, SqliteBlocks.names(b.types()));
                    insert.setString(9, SqliteBlocks.names(b.rooms()));
                    insert.setString(10, SqliteBlocks.encode(fresh, b.from(), b.to()));
                    insert.executeUpdate();
                }
            }
        }
        long newMark = Math.max(acked, batch.toSeq());
        try (PreparedStatement upsert = db.prepareStatement("INSERT INTO stream_marks (device, stream, acked_seq) "
                + "VALUES (?, ?, ?) ON CONFLICT (device, stream) DO UPDATE SET acked_seq = max(acked_seq, excluded.acked_seq)")) {
            upsert.setString(1, device);
            upsert.setString(2, stream);
            upsert.setLong(3, newMark);
            upsert.executeUpdate();
        }
        return new IngestAck(device, stream, newMark, stored, batch.size() - stored);
    }

    @Override
    public synchronized IngestAck declareGap(GapDeclaration gap, Instant receivedAt) throws GapException {
        String device = gap.deviceId();
        String stream = gap.stream();
        try (Statement tx = db.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                long acked = mark(device, stream);
                Optional<GapPart> part = GapPart.beyondMark(gap, acked);
                if (part.isPresent()) {
                    try (PreparedStatement insert = db.prepareStatement("INSERT INTO gaps (device, stream, from_seq, to_seq, "
                            + "count, reason, lost_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setString(1, device);
                        insert.setString(2, stream);
                        insert.setLong(3, part.get().from());
                        insert.setLong(4, part.get().to());
                        insert.setLong(5, part.get().count());
                        insert.setString(6, gap.reason());
                        insert.setString(7, TIME.format(gap.lostAt()));
                        insert.setString(8, TIME.format(receivedAt));
                        insert.executeUpdate();
                    }
                    try (PreparedStatement upsert = db.prepareStatement("INSERT INTO stream_marks (device, stream, acked_seq) "
                            + "VALUES (?, ?, ?) ON CONFLICT (device, stream) DO UPDATE SET acked_seq = max(acked_seq, excluded.acked_seq)")) {
                        upsert.setString(1, device);
                        upsert.setString(2, stream);
                        upsert.setLong(3, gap.toSeq());
                        upsert.executeUpdate();
                    }
                }
                tx.execute("COMMIT");
                return GapPart.ack(gap, acked);
            } catch (GapException | SQLException | RuntimeException e) {
                rollback(tx);
                throw e;
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot record gap " + device + "/" + stream + " " + gap.fromSeq() + ".."
                    + gap.toSeq() + " in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized DeclaredGaps gaps(String deviceId) {
        List<GapDeclaration> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT stream, from_seq, to_seq, count, reason, lost_at FROM gaps "
                + "WHERE device = ? ORDER BY stream, from_seq")) {
            q.setString(1, deviceId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new GapDeclaration(deviceId, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5), Instant.parse(rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot read the gaps of " + deviceId + " from " + file + ": " + e.getMessage(), e);
        }
        return new DeclaredGaps(deviceId, out);
    }

    @Override
    public synchronized StreamMarks marks(String deviceId) {
        Map<String, Long> marks = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement("SELECT stream, acked_seq FROM stream_marks WHERE device = ?")) {
            q.setString(1, deviceId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    marks.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot read the marks of " + deviceId + " from " + file + ": " + e.getMessage(), e);
        }
        return new StreamMarks(deviceId, marks);
    }

    @Override
    public synchronized long count(String deviceId, String stream) {
        try (PreparedStatement q = db.prepareStatement("SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM event_blocks "
                + "WHERE device = ? AND stream = ?")) {
            q.setString(1, deviceId);
            q.setString(2, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot count events in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<StoredEvent> events(String deviceId, String stream, long afterSeq, int limit) {
        List<StoredEvent> out = new ArrayList<>();
        // Each of the first `limit` blocks past afterSeq holds at least one event of the answer.
        try (PreparedStatement q = db.prepareStatement("SELECT from_seq, received_at, events FROM event_blocks "
                + "WHERE device = ? AND stream = ? AND to_seq > ? ORDER BY to_seq LIMIT ?")) {
            q.setString(1, deviceId);
            q.setString(2, stream);
            q.setLong(3, afterSeq);
            q.setInt(4, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    long fromSeq = rs.getLong(1);
                    Instant received = Instant.parse(rs.getString(2));
                    SqliteBlocks.decode(rs.getBytes(3), (i, type, room, at, payload) -> {
                        if (fromSeq + i > afterSeq && out.size() < limit) {
                            out.add(new StoredEvent(deviceId, stream, fromSeq + i, type, at, received, payload));
                        }
                    });
                }
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot read events from " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized EventQuery.Page search(EventQuery query) {
        try {
            return SqliteBlockSearch.page(db, query);
        } catch (SQLException e) {
            throw new EventStoreException("cannot search events in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void saveBacklogs(List<ReportedBacklog> reports) {
        if (reports.isEmpty()) {
            return;
        }
        try (Statement tx = db.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM device_backlog WHERE device = ?");
                 PreparedStatement insert = db.prepareStatement("INSERT INTO device_backlog "
                         + "(device, stream, events, oldest_unsent_at, reported_at) VALUES (?, ?, ?, ?, ?)")) {
                for (ReportedBacklog r : reports) {
                    delete.setString(1, r.deviceId());
                    delete.executeUpdate();
                    for (Map.Entry<String, Backlog.Stream> e : r.backlog().streams().entrySet()) {
                        insert.setString(1, r.deviceId());
                        insert.setString(2, e.getKey());
                        insert.setLong(3, e.getValue().events());
                        insert.setString(4, e.getValue().oldestUnsentAt().map(TIME::format).orElse(null));
                        insert.setString(5, TIME.format(r.reportedAt()));
                        insert.executeUpdate();
                    }
                }
                tx.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollback(tx);
                throw e;
            }
        } catch (SQLException e) {
            throw new EventStoreException("cannot record the backlogs of " + reports.size() + " devices in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Map<String, ReportedBacklog> backlogs() {
        try (Statement q = db.createStatement();
             ResultSet rs = q.executeQuery("SELECT device, stream, events, oldest_unsent_at, reported_at FROM device_backlog")) {
            return BacklogRows.read(rs, (r, column) -> Instant.parse(r.getString(column)));
        } catch (SQLException e) {
            throw new EventStoreException("cannot read the devices' backlogs from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
    }

    private long mark(String device, String stream) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT acked_seq FROM stream_marks WHERE device = ? AND stream = ?")) {
            q.setString(1, device);
            q.setString(2, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void migrate(Connection db, Path file) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int version;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > MIGRATIONS.size()) {
                throw new SQLException(file + " has schema version " + version + " but this build knows up to "
                        + MIGRATIONS.size() + "; run a newer data center");
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    rollback(s);
                    throw e;
                }
            }
        }
    }

    private static void rollback(Statement tx) {
        try {
            tx.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after some errors; then there is nothing left to undo.
            LOG.debug("rollback: {}", e.getMessage());
        }
    }

    private static void closeQuietly(Connection db) {
        if (db == null) {
            return;
        }
        try {
            db.close();
        } catch (SQLException e) {
            // SQLite's WAL recovers at the next open; say so rather than fail the shutdown.
            LOG.warn("closing the event store failed: {}", e.getMessage());
        }
    }
}
