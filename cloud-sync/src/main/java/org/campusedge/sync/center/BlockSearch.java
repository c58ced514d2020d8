package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An {@link EventQuery} over events kept in blocks (see {@link EventBlocks}), for both stores:
 * one page of events in the order {@code (occurredAt, device, stream, seq)}, texts compared by
 * code point (UTF-8 byte order), whatever the database's collation.
 *
 * <p>Blocks are read in chunks in {@code (first_at, device, stream, from_seq)} order through the
 * block time index, starting at {@code first_at > t - MAX_SPAN} (less a second, for rounding)
 * for the earliest time t the page can hold: no block spans {@link EventBlocks#MAX_SPAN}, so none
 * that starts earlier reaches t. The block summary (time range, devices, rooms, types) rules
 * blocks out before their events are read. After a chunk, every block not yet read starts at or
 * after the last one's {@code first_at}, so the events found before that time are final: the
 * search stops once it has a page of them, or when no block is left.
 *
 * <p>Stateless; a search runs in the caller's transaction.
 */
final class BlockSearch {

    /** Blocks read by the first chunk of a search; each further chunk reads twice as many, up to {@link #MAX_CHUNK}. */
    static final int FIRST_CHUNK = 16;
    static final int MAX_CHUNK = 1_024;

    /** How far before the page's earliest time a block may start and still reach it. */
    static final Duration REACH = EventBlocks.MAX_SPAN.plusSeconds(1);

    /** The result order; texts by code point, which is the order of their UTF-8 bytes. */
    static final Comparator<StoredEvent> ORDER = Comparator.comparing(StoredEvent::occurredAt)
            .thenComparing(StoredEvent::deviceId, BlockSearch::byCodePoint)
            .thenComparing(StoredEvent::stream, BlockSearch::byCodePoint)
            .thenComparingLong(StoredEvent::seq);

    /** Where a block stands in the read order. */
    record BlockKey(Instant firstAt, String device, String stream, long fromSeq) {
    }

    /** What one chunk read: how many blocks, and the last of them (null if none). */
    record Chunk(int blocks, BlockKey last) {
    }

    /** A store's SQL for chunks of blocks, and how it reads their rows. */
    interface Dialect {
        /** The chunk query: the first chunk's, or ({@code afterBlock}) a later one's, which starts after a block. */
        String sql(EventQuery q, boolean afterBlock);

        /**
         * Binds the chunk query: up to {@code chunk} blocks in block order that may hold events of
         * {@code q}, starting after {@code after} (null: from the first), with
         * {@code first_at > earliest - REACH}, {@code first_at < q.to()} and {@code last_at >= earliest}.
         */
        void bind(PreparedStatement p, EventQuery q, Instant earliest, BlockKey after, int chunk, Connection c) throws SQLException;

        /** A time column as the store keeps times. */
        Instant time(ResultSet rs, int column) throws SQLException;

        /**
         * Adds the matching events of the current row, of {@code block}, to {@code out}. A chunk's
         * rows start with the block's device, stream, from_seq and first_at, in block order; a
         * block may take several rows.
         */
        void events(ResultSet rs, EventQuery q, BlockKey block, List<StoredEvent> out) throws SQLException;
    }

    private BlockSearch() {
    }

    /** One page of {@code q} on a store's connection, in the caller's transaction, and where the next starts if it is full. */
    static EventQuery.Page page(Connection c, EventQuery q, Dialect dialect) throws SQLException {
        if (q.devices().isPresent() && q.devices().get().isEmpty()) {
            return new EventQuery.Page(List.of(), Optional.empty());
        }
        Instant earliest = q.after().map(EventQuery.Cursor::occurredAt).filter(t -> t.isAfter(q.from())).orElse(q.from());
        List<StoredEvent> found = new ArrayList<>();
        BlockKey next = null;
        boolean exhausted;
        int chunk = FIRST_CHUNK;
        try (PreparedStatement first = c.prepareStatement(dialect.sql(q, false));
             PreparedStatement more = c.prepareStatement(dialect.sql(q, true))) {
            while (true) {
                PreparedStatement p = next == null ? first : more;
                dialect.bind(p, q, earliest, next, chunk, c);
                Chunk read = read(p, q, dialect, found);
                next = read.last() == null ? next : read.last();
                exhausted = read.blocks() < chunk;
                found.sort(ORDER);
                if (found.size() > q.limit()) {
                    // Later chunks only add events; those past the page's end can never come back into it.
                    found.subList(q.limit(), found.size()).clear();
                }
                if (exhausted || settled(found, next.firstAt()) >= q.limit()) {
                    break;
                }
                chunk = Math.min(MAX_CHUNK, chunk * 2);
            }
        }
        List<StoredEvent> page = exhausted ? found : found.subList(0, settled(found, next.firstAt()));
        return new EventQuery.Page(page, page.size() < q.limit() ? Optional.empty()
                : Optional.of(EventQuery.Cursor.of(page.get(page.size() - 1))));
    }

    /**
     * Reads one chunk (blocks in block order that may hold events of {@code q}) and adds their
     * events that match {@code q} to {@code out}.
     */
    private static Chunk read(PreparedStatement p, EventQuery q, Dialect dialect, List<StoredEvent> out) throws SQLException {
        int blocks = 0;
        BlockKey last = null;
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                BlockKey block = new BlockKey(dialect.time(rs, 4), rs.getString(1), rs.getString(2), rs.getLong(3));
                if (!block.equals(last)) {
                    last = block;
                    blocks++;
                }
                dialect.events(rs, q, block, out);
            }
        }
        return new Chunk(blocks, last);
    }

    /** True if an event read from a block matches what {@code q} filters on inside blocks. */
    static boolean matches(EventQuery q, StoredEvent e, String room) {
        if (e.occurredAt().isBefore(q.from()) || !e.occurredAt().isBefore(q.to())) {
            return false;
        }
        if (q.room().isPresent() && !q.room().get().equals(room)) {
            return false;
        }
        if (!q.types().isEmpty() && !q.types().contains(e.type())) {
            return false;
        }
        return q.after().isEmpty() || afterCursor(e, q.after().get());
    }

    private static boolean afterCursor(StoredEvent e, EventQuery.Cursor c) {
        int by = e.occurredAt().compareTo(c.occurredAt());
        if (by == 0) {
            by = byCodePoint(e.deviceId(), c.device());
        }
        if (by == 0) {
            by = byCodePoint(e.stream(), c.stream());
        }
        return by == 0 ? e.seq() > c.seq() : by > 0;
    }

    /** How many of the sorted events lie before {@code boundary}: no block not yet read can hold an earlier one. */
    private static int settled(List<StoredEvent> sorted, Instant boundary) {
        int n = 0;
        while (n < sorted.size() && sorted.get(n).occurredAt().isBefore(boundary)) {
            n++;
        }
        return n;
    }

    /** Compares texts by code point: the order of their UTF-8 bytes, and of a "C" or BINARY collation. */
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
}
