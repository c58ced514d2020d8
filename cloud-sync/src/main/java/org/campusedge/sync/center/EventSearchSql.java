package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SQL of an {@link EventQuery} over a table of one row per event (SQLite's {@code events}).
 * The predicates are those the report indexes serve: {@code (type, occurred_at)},
 * {@code (room, occurred_at)} and {@code (device, occurred_at)}. The cursor is a row-value
 * comparison (SQLite 3.15+), so a page starts exactly after the previous one without an offset.
 * PostgreSQL keeps events in blocks and searches them with {@link PostgresBlockSearch}. Stateless.
 */
final class EventSearchSql {

    /** Binds a time parameter the way a store stores times. */
    interface TimeBinder {
        void bind(PreparedStatement p, int index, Instant t) throws SQLException;
    }

    /** Reads a time column the way a store stores times. */
    interface TimeReader {
        Instant read(ResultSet rs, int column) throws SQLException;
    }

    private EventSearchSql() {
    }

    private static String sql(EventQuery q) {
        StringBuilder sql = new StringBuilder("SELECT device, stream, seq, type, occurred_at, received_at, payload FROM events "
                + "WHERE occurred_at >= ? AND occurred_at < ?");
        q.devices().ifPresent(d -> sql.append(" AND device IN (").append(marks(d.size())).append(')'));
        q.room().ifPresent(r -> sql.append(" AND room = ?"));
        if (!q.types().isEmpty()) {
            sql.append(" AND type IN (").append(marks(q.types().size())).append(')');
        }
        q.after().ifPresent(c -> sql.append(" AND (occurred_at, device, stream, seq) > (?, ?, ?, ?)"));
        return sql.append(" ORDER BY occurred_at, device, stream, seq LIMIT ?").toString();
    }

    private static void bind(PreparedStatement p, EventQuery q, TimeBinder time) throws SQLException {
        int i = 1;
        time.bind(p, i++, q.from());
        time.bind(p, i++, q.to());
        for (String d : q.devices().orElse(Set.of())) {
            p.setString(i++, d);
        }
        if (q.room().isPresent()) {
            p.setString(i++, q.room().get());
        }
        for (String t : q.types()) {
            p.setString(i++, t);
        }
        if (q.after().isPresent()) {
            EventQuery.Cursor c = q.after().get();
            time.bind(p, i++, c.occurredAt());
            p.setString(i++, c.device());
            p.setString(i++, c.stream());
            p.setLong(i++, c.seq());
        }
        p.setInt(i, q.limit());
    }

    /** Runs the query and makes the page; a search of no devices (a school without boxes) finds nothing. */
    static EventQuery.Page page(Connection c, EventQuery q, TimeBinder binder, TimeReader reader) throws SQLException {
        if (q.devices().isPresent() && q.devices().get().isEmpty()) {
            return new EventQuery.Page(List.of(), java.util.Optional.empty());
        }
        List<StoredEvent> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql(q))) {
            bind(p, q, binder);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), reader.read(rs, 5),
                            reader.read(rs, 6), rs.getString(7)));
                }
            }
        }
        return new EventQuery.Page(out, out.size() < q.limit() ? java.util.Optional.empty()
                : java.util.Optional.of(EventQuery.Cursor.of(out.get(out.size() - 1))));
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
