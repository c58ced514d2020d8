package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@link BlockSearch}'s chunks on PostgreSQL: one statement per chunk, the blocks a subquery in
 * block order (texts compared in the "C" collation), each joined with its matching events, which
 * the database unnests and filters, or with one row of NULLs when none match, so the chunk's last
 * block is known. Stateless; runs in the caller's transaction.
 */
final class PostgresBlockSearch implements BlockSearch.Dialect {

    static final PostgresBlockSearch INSTANCE = new PostgresBlockSearch();

    private PostgresBlockSearch() {
    }

    /** One page of {@code q}. */
    static EventQuery.Page page(Connection c, EventQuery q) throws SQLException {
        return BlockSearch.page(c, q, INSTANCE);
    }

    @Override
    public Instant time(ResultSet rs, int column) throws SQLException {
        return instant(rs, column);
    }

    /** A row is a block with one of its matching events, or with NULLs if it has none. */
    @Override
    public void events(ResultSet rs, EventQuery q, BlockSearch.BlockKey block, List<StoredEvent> out) throws SQLException {
        long n = rs.getLong(6);
        if (!rs.wasNull()) {
            out.add(new StoredEvent(block.device(), block.stream(), block.fromSeq() + n - 1, rs.getString(7), instant(rs, 8),
                    instant(rs, 5), rs.getString(9)));
        }
    }

    /**
     * The blocks of one chunk (a subquery in block order, limited), each with its matching
     * events, or one row of NULLs for a block with none, so the chunk's last block is known.
     */
    @Override
    public String sql(EventQuery q, boolean afterBlock) {
        StringBuilder blocks = new StringBuilder("SELECT device, stream, from_seq, first_at, received_at, ev_type, ev_room, ev_at, ev_payload "
                + "FROM event_blocks WHERE first_at > ? AND first_at < ? AND last_at >= ?");
        q.devices().ifPresent(d -> blocks.append(" AND device = ANY (?)"));
        q.room().ifPresent(r -> blocks.append(" AND rooms @> ARRAY[?::text]"));
        if (!q.types().isEmpty()) {
            blocks.append(" AND types && ?");
        }
        if (afterBlock) {
            blocks.append(" AND (first_at, device COLLATE \"C\", stream COLLATE \"C\", from_seq) > (?, ?::text COLLATE \"C\", ?::text COLLATE \"C\", ?)");
        }
        blocks.append(" ORDER BY first_at, device COLLATE \"C\", stream COLLATE \"C\", from_seq LIMIT ?");
        StringBuilder events = new StringBuilder("SELECT u.n, u.type, u.occurred_at, u.payload "
                + "FROM unnest(b.ev_type, b.ev_room, b.ev_at, b.ev_payload) WITH ORDINALITY AS u(type, room, occurred_at, payload, n) "
                + "WHERE u.occurred_at >= ? AND u.occurred_at < ?");
        q.room().ifPresent(r -> events.append(" AND u.room = ?"));
        if (!q.types().isEmpty()) {
            events.append(" AND u.type = ANY (?)");
        }
        q.after().ifPresent(a -> events.append(" AND (u.occurred_at, b.device COLLATE \"C\", b.stream COLLATE \"C\", b.from_seq + u.n - 1) "
                + "> (?, ?::text COLLATE \"C\", ?::text COLLATE \"C\", ?)"));
        return "SELECT b.device, b.stream, b.from_seq, b.first_at, b.received_at, e.n, e.type, e.occurred_at, e.payload "
                + "FROM (" + blocks + ") b LEFT JOIN LATERAL (" + events + ") e ON true "
                + "ORDER BY b.first_at, b.device COLLATE \"C\", b.stream COLLATE \"C\", b.from_seq, e.n";
    }

    @Override
    public void bind(PreparedStatement p, EventQuery q, Instant earliest, BlockSearch.BlockKey after, int chunk, Connection c)
            throws SQLException {
        int i = 1;
        p.setObject(i++, utc(earliest.minus(BlockSearch.REACH)));
        p.setObject(i++, utc(q.to()));
        p.setObject(i++, utc(earliest));
        if (q.devices().isPresent()) {
            p.setArray(i++, c.createArrayOf("text", q.devices().get().toArray()));
        }
        if (q.room().isPresent()) {
            p.setString(i++, q.room().get());
        }
        if (!q.types().isEmpty()) {
            p.setArray(i++, c.createArrayOf("text", q.types().toArray()));
        }
        if (after != null) {
            p.setObject(i++, utc(after.firstAt()));
            p.setString(i++, after.device());
            p.setString(i++, after.stream());
            p.setLong(i++, after.fromSeq());
        }
        p.setInt(i++, chunk);
        p.setObject(i++, utc(q.from()));
        p.setObject(i++, utc(q.to()));
        if (q.room().isPresent()) {
            p.setString(i++, q.room().get());
        }
        if (!q.types().isEmpty()) {
            p.setArray(i++, c.createArrayOf("text", q.types().toArray()));
        }
        if (q.after().isPresent()) {
            EventQuery.Cursor cursor = q.after().get();
            p.setObject(i++, utc(cursor.occurredAt()));
            p.setString(i++, cursor.device());
            p.setString(i++, cursor.stream());
            p.setLong(i, cursor.seq());
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
