package org.campusedge.sync.center;

import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.wire.DeclaredGaps;
import org.campusedge.sync.wire.GapDeclaration;
import org.campusedge.sync.wire.IngestAck;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.StreamMarks;
import org.campusedge.sync.wire.WireEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The production {@link EventStore}: PostgreSQL over JDBC, events in blocks of a stream's
 * consecutive events, in monthly partitions (see {@link PostgresSchema}, {@link EventBlocks}).
 *
 * <p>Exactly once: a batch locks its stream's mark row ({@code SELECT ... FOR UPDATE}), writes
 * only the events above the mark, and raises the mark in the same transaction. Concurrent
 * batches of one stream queue on that row lock; different streams never wait for each other.
 * A crash before the commit leaves neither events nor the mark.
 *
 * <p>Thread-safe: every call borrows one of a fixed number of connections for its transaction
 * ({@link PostgresConnections}). Timestamps keep microseconds, PostgreSQL's precision (and the
 * box journal's).
 */
public final class PostgresEventStore implements EventStore {

    /** Connections when the configuration names none: the data center's HTTP worker count. */
    public static final int DEFAULT_CONNECTIONS = 8;

    private final String where;
    private final PostgresConnections connections;
    private final PostgresSchema schema;

    private PostgresEventStore(String where, PostgresConnections connections, PostgresSchema schema) {
        this.where = where;
        this.connections = connections;
        this.schema = schema;
    }

    /**
     * Connects, brings the schema up to date and makes the partitions for this month and the
     * next ones.
     *
     * @param url         {@code jdbc:postgresql://host:port/database}, driver options allowed
     * @param user        the database role
     * @param password    its password; null or empty for trust or peer authentication
     * @param connections how many transactions may run at once
     * @throws EventStoreException if the database cannot be reached or holds a newer schema
     */
    public static PostgresEventStore open(String url, String user, String password, int connections) {
        return open(url, user, password, connections, Clock.systemUTC());
    }

    static PostgresEventStore open(String url, String user, String password, int connections, Clock clock) {
        Objects.requireNonNull(url, "url");
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "campus-edge-datacenter");
        p.setProperty("tcpKeepAlive", "true");
        String where = withoutSecrets(url);
        PostgresConnections pool = new PostgresConnections(url, p, connections);
        PostgresSchema schema = new PostgresSchema();
        try (Connection c = pool.open()) {
            schema.migrate(c, where);
            schema.prepare(c, clock.instant());
        } catch (SQLException e) {
            pool.close();
            throw new EventStoreException("cannot open event store " + where + ": " + e.getMessage(), e);
        }
        return new PostgresEventStore(where, pool, schema);
    }

    /** The current schema version of a store. */
    public static int schemaVersion() {
        return PostgresSchema.version();
    }

    @Override
    public IngestAck ingest(IngestBatch batch, Instant receivedAt) throws GapException {
        String device = batch.deviceId();
        String stream = batch.stream();
        String what = "store " + device + "/" + stream + " " + batch.fromSeq() + ".." + batch.toSeq() + " in " + where;
        preparePartition(receivedAt, what);
        return connections.inTransaction(what, c -> {
            long acked = lockMark(c, device, stream, receivedAt);
            if (batch.fromSeq() > acked + 1) {
                throw new GapException(device, stream, acked, batch.fromSeq());
            }
            // Seqs up to the mark are held; the batch is contiguous, so the new events are its tail.
            List<WireEvent> fresh = batch.eventsAfter(acked);
            int stored = fresh.isEmpty() ? 0 : EventBlocks.write(c, device, stream, fresh, receivedAt);
            long newMark = Math.max(acked, batch.toSeq());
            if (newMark != acked) {
                raiseMark(c, device, stream, newMark, receivedAt);
            }
            return new IngestAck(device, stream, newMark, stored, batch.size() - stored);
        });
    }

    @Override
    public IngestAck declareGap(GapDeclaration gap, Instant receivedAt) throws GapException {
        String device = gap.deviceId();
        String stream = gap.stream();
        String what = "record gap " + device + "/" + stream + " " + gap.fromSeq() + ".." + gap.toSeq() + " in " + where;
        return connections.inTransaction(what, c -> {
            long acked = lockMark(c, device, stream, receivedAt);
            Optional<GapPart> part = GapPart.beyondMark(gap, acked);
            if (part.isPresent()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO gaps (device, stream, from_seq, to_seq, count, "
                        + "reason, lost_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, device);
                    insert.setString(2, stream);
                    insert.setLong(3, part.get().from());
                    insert.setLong(4, part.get().to());
                    insert.setLong(5, part.get().count());
                    insert.setString(6, gap.reason());
                    insert.setObject(7, utc(gap.lostAt()));
                    insert.setObject(8, utc(receivedAt));
                    insert.executeUpdate();
                }
                raiseMark(c, device, stream, gap.toSeq(), receivedAt);
            }
            return GapPart.ack(gap, acked);
        });
    }

    @Override
    public DeclaredGaps gaps(String deviceId) {
        List<GapDeclaration> out = connections.inTransaction("read the gaps of " + deviceId + " from " + where, c -> {
            List<GapDeclaration> gaps = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT stream, from_seq, to_seq, count, reason, lost_at FROM gaps "
                    + "WHERE device = ? ORDER BY stream, from_seq")) {
                q.setString(1, deviceId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        gaps.add(new GapDeclaration(deviceId, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getString(5), instant(rs, 6)));
                    }
                }
            }
            return gaps;
        });
        return new DeclaredGaps(deviceId, out);
    }

    @Override
    public StreamMarks marks(String deviceId) {
        Map<String, Long> marks = connections.inTransaction("read the marks of " + deviceId + " from " + where, c -> {
            Map<String, Long> m = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT stream, acked_seq FROM stream_marks WHERE device = ?")) {
                q.setString(1, deviceId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        m.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return m;
        });
        return new StreamMarks(deviceId, marks);
    }

    @Override
    public long count(String deviceId, String stream) {
        return connections.inTransaction("count events in " + where, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT coalesce(sum(to_seq - from_seq + 1), 0) FROM event_blocks "
                    + "WHERE device = ? AND stream = ?")) {
                q.setString(1, deviceId);
                q.setString(2, stream);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<StoredEvent> events(String deviceId, String stream, long afterSeq, int limit) {
        return connections.inTransaction("read events from " + where, c -> {
            List<StoredEvent> out = new ArrayList<>();
            // Each of the first `limit` blocks past afterSeq holds at least one event of the answer.
            try (PreparedStatement q = c.prepareStatement("SELECT b.from_seq + u.n - 1, u.type, u.occurred_at, b.received_at, u.payload "
                    + "FROM (SELECT from_seq, to_seq, received_at, ev_type, ev_at, ev_payload FROM event_blocks "
                    + "WHERE device = ? AND stream = ? AND to_seq > ? ORDER BY to_seq LIMIT ?) b "
                    + "CROSS JOIN LATERAL unnest(b.ev_type, b.ev_at, b.ev_payload) WITH ORDINALITY AS u(type, occurred_at, payload, n) "
                    + "WHERE b.from_seq + u.n - 1 > ? ORDER BY b.to_seq, u.n LIMIT ?")) {
                q.setString(1, deviceId);
                q.setString(2, stream);
                q.setLong(3, afterSeq);
                q.setInt(4, limit);
                q.setLong(5, afterSeq);
                q.setInt(6, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEvent(deviceId, stream, rs.getLong(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public EventQuery.Page search(EventQuery query) {
        return connections.inTransaction("search events in " + where, c -> PostgresBlockSearch.page(c, query));
    }

    @Override
    public void saveBacklogs(List<ReportedBacklog> reports) {
        if (reports.isEmpty()) {
            return;
        }
        connections.inTransaction("record the backlogs of " + reports.size() + " devices in " + where, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_backlog WHERE device = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO device_backlog "
                         + "(device, stream, events, oldest_unsent_at, reported_at) VALUES (?, ?, ?, ?, ?)")) {
                Map<String, ReportedBacklog> lastPerDevice = new java.util.LinkedHashMap<>();
                reports.forEach(r -> lastPerDevice.put(r.deviceId(), r));
                for (ReportedBacklog r : lastPerDevice.values()) {
                    delete.setString(1, r.deviceId());
                    delete.addBatch();
                    for (Map.Entry<String, Backlog.Stream> e : r.backlog().streams().entrySet()) {
                        insert.setString(1, r.deviceId());
                        insert.setString(2, e.getKey());
                        insert.setLong(3, e.getValue().events());
                        insert.setObject(4, e.getValue().oldestUnsentAt().map(PostgresEventStore::utc).orElse(null),
                                java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                        insert.setObject(5, utc(r.reportedAt()));
                        insert.addBatch();
                    }
                }
                // Deletes first, then inserts: each device's old rows go before its new ones arrive.
                delete.executeBatch();
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Map<String, ReportedBacklog> backlogs() {
        return connections.inTransaction("read the devices' backlogs from " + where, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT device, stream, events, oldest_unsent_at, reported_at FROM device_backlog");
                 ResultSet rs = q.executeQuery()) {
                return BacklogRows.read(rs, PostgresEventStore::instant);
            }
        });
    }

    @Override
    public void close() {
        connections.close();
    }

    /** Makes the partition for {@code receivedAt} (and the months after it) unless this process already knows them. */
    private void preparePartition(Instant receivedAt, String what) {
        if (schema.ready(receivedAt)) {
            return;
        }
        connections.inTransaction(what + ": create partitions", c -> {
            schema.ensure(c, receivedAt);
            return null;
        });
    }

    /** The stream's mark, locked until the transaction ends; a new stream gets a row at 0 first. */
    private static long lockMark(Connection c, String device, String stream, Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT acked_seq FROM stream_marks WHERE device = ? AND stream = ? FOR UPDATE")) {
            q.setString(1, device);
            q.setString(2, stream);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            // Two first batches of a stream at once: the second insert waits for the first to
            // commit and then does nothing; the SELECT below then sees (and locks) the committed row.
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO stream_marks (device, stream, acked_seq, updated_at) "
                    + "VALUES (?, ?, 0, ?) ON CONFLICT (device, stream) DO NOTHING")) {
                insert.setString(1, device);
                insert.setString(2, stream);
                insert.setObject(3, utc(now));
                insert.executeUpdate();
            }
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the mark of " + device + "/" + stream + " vanished while it was being created");
                }
                return rs.getLong(1);
            }
        }
    }

    private static void raiseMark(Connection c, String device, String stream, long mark, Instant now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE stream_marks SET acked_seq = greatest(acked_seq, ?), "
                + "updated_at = ? WHERE device = ? AND stream = ?")) {
            update.setLong(1, mark);
            update.setObject(2, utc(now));
            update.setString(3, device);
            update.setString(4, stream);
            update.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The URL without query parameters, which may carry a password. */
    private static String withoutSecrets(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
