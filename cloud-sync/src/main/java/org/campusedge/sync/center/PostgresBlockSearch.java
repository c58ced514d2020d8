package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An {@link EventQuery} over PostgreSQL's {@code event_blocks}: one page of events in the order
 * {@code (occurredAt, device, stream, seq)}, texts compared by code point (UTF-8 byte order, as
 * SQLite's BINARY collation does), whatever the database's collation.
 *
 * <p>Blocks are read in chunks in {@code (first_at, device, stream, from_seq)} order through the
 * block time index, starting at {@code first_at > t - MAX_SPAN} for the earliest time t the page
 * can hold (no block spans {@link EventBlocks#MAX_SPAN}, so none that starts earlier reaches t).
 * The block summary (time range, devices, rooms, types) rules blocks out before their arrays are
 * read; the database unnests the rest and filters their events. After a chunk, every block not
 * yet read starts at or after the last one's {@code first_at}, so the events found before that
 * time are final: the search stops once it has a page of them, or when no block is left.
 *
 * <p>Stateless; a search runs in the caller's transaction.
 */
final class PostgresBlockSearch {

    /** Blocks read by the first chunk of a search; each further chunk reads twice as many, up to {@link #MAX_CHUNK}. */
    static final int FIRST_CHUNK = 16;
    static final int MAX_CHUNK = 1_024;

    /** The result order; texts by code point, which is the order of their UTF-8 bytes. */
    static final Comparator<StoredEvent> ORDER = Comparator.comparing(StoredEvent::occurredAt)
            .thenComparing(StoredEvent::deviceId, PostgresBlockSearch::byCodePoint)
            .thenComparing(StoredEvent::stream, PostgresBlockSearch::byCodePoint)
            .thenComparingLong(StoredEvent::seq);

    private PostgresBlockSearch() {
    }

    /** Runs the search: one page, and where the next starts if the page is full. */
    static EventQuery.Page page(Connection c, EventQuery q) throws SQLException {
        if (q.devices().isPresent() && q.devices().get().isEmpty()) {
            return new EventQuery.Page(List.of(), Optional.empty());
        }
        Instant earliest = q.after().map(EventQuery.Cursor::occurredAt).filter(t -> t.isAfter(q.from())).orElse(q.from());
        List<StoredEvent> found = new ArrayList<>();
        BlockKey next = null;
        boolean exhausted = false;
        Instant boundary = null;
        int chunk = FIRST_CHUNK;
        try (PreparedStatement first = c.prepareStatement(sql(q, false));
             PreparedStatement more = c.prepareStatement(sql(q, true))) {
            while (true) {
                PreparedStatement p = next == null ? first : more;
                bind(p, q, earliest, next, chunk, c);
                int blocks = 0;
                try (ResultSet rs = p.executeQuery()) {
                    BlockKey last = null;
                    while (rs.next()) {
                        String device = rs.getString(1);
                        String stream = rs.getString(2);
                        long fromSeq = rs.getLong(3);
                        Instant firstAt = instant(rs, 4);
                        if (last == null || !last.is(firstAt, device, stream, fromSeq)) {
                            last = new BlockKey(firstAt, device, stream, fromSeq);
                            blocks++;
                        }
                        long n = rs.getLong(6);
                        if (!rs.wasNull()) {
                            found.add(new StoredEvent(device, stream, fromSeq + n - 1, rs.getString(7), instant(rs, 8),
                                    instant(rs, 5), rs.getString(9)));
                        }
                    }
                    next = last;
                }
                exhausted = blocks < chunk;
                boundary = next == null ? null : next.firstAt();
                found.sort(ORDER);
                if (found.size() > q.limit()) {
                    // Later chunks only add events; those past the page's end can never come back into it.
                    found.subList(q.limit(), found.size()).clear();
                }
                if (exhausted || settled(found, boundary) >= q.limit()) {
                    break;
                }
                chunk = Math.min(MAX_CHUNK, chunk * 2);
            }
        }
        List<StoredEvent> page = exhausted ? found : found.subList(0, settled(found, boundary));
        return new EventQuery.Page(page, page.size() < q.limit() ? Optional.empty()
                : Optional.of(EventQuery.Cursor.of(page.get(page.size() - 1))));
    }

    /** How many of the sorted events lie before {@code boundary}: no block not yet read can hold an earlier one. */
    private static int settled(List<StoredEvent> sorted, Instant boundary) {
        int n = 0;
        while (n < sorted.size() && sorted.get(n).occurredAt().isBefore(boundary)) {
            n++;
        }
        return n;
    }

    /**
     * The blocks of one chunk (a subquery in block order, limited), each with its matching
     * events, or one row of NULLs for a block with none, so the chunk's last block is known.
     */
    static String sql(EventQuery q, boolean afterBlock) {
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

    static void bind(PreparedStatement p, EventQuery q, Instant earliest, BlockKey after, int chunk, Connection c)
            throws SQLException {
        int i = 1;
        p.setObject(i++, utc(earliest.minus(EventBlocks.MAX_SPAN)));
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

    /** Compares texts by code point: the order of their UTF-8 bytes, and of PostgreSQL's "C" collation. */
    static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Where a block stands in the read order. */
    private record BlockKey(Instant firstAt, String device, String stream, long fromSeq) {
        boolean is(Instant t, String d, String s, long seq) {
            return fromSeq == seq && firstAt.equals(t) && device.equals(d) && stream.equals(s);
        }
    }
}
