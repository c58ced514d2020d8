package org.campusedge.sync.center;

import org.campusedge.sync.wire.IsoInstant;
import org.campusedge.sync.wire.WireEvent;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes a run of new events into {@code events} inside the caller's transaction, by
 * {@code COPY ... FROM STDIN} (binary or text format) or by multi-row {@code INSERT}s. All were
 * measured (see {@code PostgresEventStoreIT}); binary COPY is the default. Stateless, so thread-safe.
 */
enum PostgresEventWriter {

    /** One {@code COPY} stream per batch: no per-row parameters, no statement size limit. */
    COPY {
        @Override
        int write(Connection c, String device, String stream, List<WireEvent> events, Instant receivedAt) throws SQLException {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY events (device, stream, seq, type, room, occurred_at, received_at, payload) FROM STDIN");
            try {
                StringBuilder row = new StringBuilder(4096);
                String prefix = escaped(new StringBuilder(), device).append('\t').append(escaped(new StringBuilder(), stream))
                        .append('\t').toString();
                String received = receivedAt.toString();
                for (WireEvent e : events) {
                    row.append(prefix).append(e.seq()).append('\t');
                    escaped(row, e.type()).append('\t');
                    String room = RoomField.of(e.payloadJson());
                    if (room == null) {
                        row.append("\\N");
                    } else {
                        escaped(row, room);
                    }
                    IsoInstant.append(row.append('\t'), e.occurredAt()).append('\t').append(received).append('\t');
                    escaped(row, e.payloadJson()).append('\n');
                    if (row.length() >= 64 * 1024) {
                        flush(copy, row);
                    }
                }
                flush(copy, row);
                return (int) copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
    },

    /**
     * One {@code COPY ... (FORMAT binary)} stream per batch: no escaping or timestamp text on
     * either side (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format").
     * Timestamps go as microseconds since 2000-01-01 UTC, rounded half to even as PostgreSQL
     * rounds a text timestamp's fraction. The default.
     */
    COPY_BINARY {
        @Override
        int write(Connection c, String device, String stream, List<WireEvent> events, Instant receivedAt) throws SQLException {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY events (device, stream, seq, type, room, occurred_at, received_at, payload) FROM STDIN (FORMAT binary)");
            try {
                CopyRows rows = new CopyRows(copy);
                rows.header();
                byte[] deviceBytes = device.getBytes(StandardCharsets.UTF_8);
                byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
                long received = CopyRows.micros(receivedAt);
                for (WireEvent e : events) {
                    rows.fieldCount(8);
                    rows.bytes(deviceBytes);
                    rows.bytes(streamBytes);
                    rows.int8(e.seq());
                    rows.text(e.type());
                    rows.text(RoomField.of(e.payloadJson()));
                    rows.int8(CopyRows.micros(e.occurredAt()));
                    rows.int8(received);
                    rows.text(e.payloadJson());
                }
                rows.trailer();
                return (int) copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
    },

    /** {@code INSERT ... VALUES (...), (...)} with up to {@link #ROWS_PER_INSERT} rows per statement. */
    MULTI_ROW_INSERT {
        @Override
        int write(Connection c, String device, String stream, List<WireEvent> events, Instant receivedAt) throws SQLException {
            OffsetDateTime received = OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC);
            int stored = 0;
            PreparedStatement full = null;
            try {
                for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
                    List<WireEvent> chunk = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
                    PreparedStatement insert;
                    if (chunk.size() == ROWS_PER_INSERT) {
                        if (full == null) {
                            full = c.prepareStatement(insertSql(ROWS_PER_INSERT));
                        }
                        insert = full;
                    } else {
                        insert = c.prepareStatement(insertSql(chunk.size()));
                    }
                    try {
                        int p = 1;
                        for (WireEvent e : chunk) {
                            insert.setString(p++, device);
                            insert.setString(p++, stream);
                            insert.setLong(p++, e.seq());
                            insert.setString(p++, e.type());
                            insert.setString(p++, RoomField.of(e.payloadJson()));
                            insert.setObject(p++, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
                            insert.setObject(p++, received);
                            insert.setString(p++, e.payloadJson());
                        }
                        stored += insert.executeUpdate();
                    } finally {
                        if (insert != full) {
                            insert.close();
                        }
                    }
                }
            } finally {
                if (full != null) {
                    full.close();
                }
            }
            return stored;
        }
    };

    /** 8 parameters a row; the protocol allows 65,535 per statement. */
    static final int ROWS_PER_INSERT = 1_000;

    /** Inserts {@code events} (all new) and answers how many rows were written. */
    abstract int write(Connection c, String device, String stream, List<WireEvent> events, Instant receivedAt) throws SQLException;

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder(64 + rows * 20)
                .append("INSERT INTO events (device, stream, seq, type, room, occurred_at, received_at, payload) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?)");
        }
        return sql.toString();
    }

    private static void flush(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    /**
     * COPY text format: backslash, tab, newline and carriage return are escaped; everything else
     * is taken literally (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").
     */
    static StringBuilder escaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }
}
