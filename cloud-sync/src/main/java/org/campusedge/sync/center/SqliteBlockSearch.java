package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * {@link BlockSearch}'s chunks on SQLite: the blocks of a chunk in block order (BINARY
 * collation, byte order), ruled out by their summary in SQL, their events decoded and filtered
 * here. A block's distinct rooms and types are JSON arrays, so {@code instr} of a quoted name
 * finds exactly that element. Stateless; runs on the store's connection.
 */
final class SqliteBlockSearch implements BlockSearch.Dialect {

    private static final SqliteBlockSearch INSTANCE = new SqliteBlockSearch();

    private SqliteBlockSearch() {
    }

    /** One page of {@code q}. */
    static EventQuery.Page page(Connection db, EventQuery q) throws SQLException {
        return BlockSearch.page(db, q, INSTANCE);
    }

    @Override
    public Instant time(ResultSet rs, int column) throws SQLException {
        return Instant.parse(rs.getString(column));
    }

    /** A row is a whole block, its events decoded here. */
    @Override
    public void events(ResultSet rs, EventQuery q, BlockSearch.BlockKey block, List<StoredEvent> out) throws SQLException {
        Instant received = Instant.parse(rs.getString(5));
        SqliteBlocks.decode(rs.getBytes(6), (i, type, room, at, payload) -> {
            StoredEvent e = new StoredEvent(block.device(), block.stream(), block.fromSeq() + i, type, at, received, payload);
            if (BlockSearch.matches(q, e, room)) {
                out.add(e);
            }
        });
    }

    @Override
    public String sql(EventQuery q, boolean afterBlock) {
        StringBuilder sql = new StringBuilder("SELECT device, stream, from_seq, first_at, received_at, events FROM event_blocks "
                + "WHERE first_at > ? AND first_at < ? AND last_at >= ?");
        q.devices().ifPresent(d -> sql.append(" AND device IN (").append(String.join(", ", Collections.nCopies(d.size(), "?"))).append(')'));
        q.room().ifPresent(r -> sql.append(" AND instr(rooms, ?) > 0"));
        if (!q.types().isEmpty()) {
            sql.append(" AND (").append(String.join(" OR ", Collections.nCopies(q.types().size(), "instr(types, ?) > 0"))).append(')');
        }
        if (afterBlock) {
            sql.append(" AND (first_at, device, stream, from_seq) > (?, ?, ?, ?)");
        }
        return sql.append(" ORDER BY first_at, device, stream, from_seq LIMIT ?").toString();
    }

    @Override
    public void bind(PreparedStatement p, EventQuery q, Instant earliest, BlockSearch.BlockKey after, int chunk, Connection c)
            throws SQLException {
        int i = 1;
        p.setString(i++, SqliteEventStore.TIME.format(earliest.minus(BlockSearch.REACH)));
        p.setString(i++, SqliteEventStore.TIME.format(q.to()));
        p.setString(i++, SqliteEventStore.TIME.format(earliest));
        for (String d : q.devices().orElse(java.util.Set.of())) {
            p.setString(i++, d);
        }
        if (q.room().isPresent()) {
            p.setString(i++, quoted(q.room().get()));
        }
        for (String t : q.types()) {
            p.setString(i++, quoted(t));
        }
        if (after != null) {
            p.setString(i++, SqliteEventStore.TIME.format(after.firstAt()));
            p.setString(i++, after.device());
            p.setString(i++, after.stream());
            p.setLong(i++, after.fromSeq());
        }
        p.setInt(i, chunk);
    }

    /** A name as a JSON string, as it stands inside a block's array of names. */
    private static String quoted(String name) {
        return org.campusedge.sync.wire.JsonText.quote(new StringBuilder(), name).toString();
    }
}
