package org.campusedge.sync.center;

import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Rows of PostgreSQL's binary COPY format in a reused buffer, handed to the server 64 KiB at a
 * time (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"): a signature
 * header, per row a 16-bit field count and per field a 32-bit length (-1 for NULL) and its bytes
 * in network order, a -1 trailer. Owned by the thread writing one batch.
 */
final class CopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int FLUSH_AT = 64 * 1024;
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in seconds since 1970. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    /** Element type OIDs of {@code text} and {@code timestamptz} (src/include/catalog/pg_type.dat). */
    private static final int TEXT_OID = 25;
    private static final int TIMESTAMPTZ_OID = 1184;
    /** An array's header before its elements: dimensions, flags, element type, length, lower bound. */
    private static final int ARRAY_HEADER = 20;

    private final CopyIn copy;
    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int len;

    CopyRows(CopyIn copy) {
        this.copy = copy;
    }

    /**
     * {@code t} as a binary timestamptz: microseconds since 2000-01-01 UTC, the sub-microsecond
     * rest rounded half to even (as PostgreSQL's rint() does for a text timestamp's fraction).
     */
    static long micros(Instant t) {
        long micros = Math.multiplyExact(t.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L) + t.getNano() / 1_000;
        int rest = t.getNano() % 1_000;
        if (rest > 500 || rest == 500 && (micros & 1) != 0) {
            micros++;
        }
        return micros;
    }

    void header() throws SQLException {
        room(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, buf, len, SIGNATURE.length);
        len += SIGNATURE.length;
        putInt(0); // flags: no OIDs
        putInt(0); // no header extension
    }

    void fieldCount(int n) throws SQLException {
        room(2);
        putShort(n);
    }

    void int8(long v) throws SQLException {
        room(12);
        putInt(8);
        putLong(v);
    }

    /** A text field as UTF-8, or NULL. */
    void text(String value) throws SQLException {
        if (value == null) {
            room(4);
            putInt(-1);
        } else {
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    void bytes(byte[] value) throws SQLException {
        room(4 + value.length);
        putInt(value.length);
        System.arraycopy(value, 0, buf, len, value.length);
        len += value.length;
    }

    /**
     * A one-dimensional {@code text[]} field, NULL elements where {@code elements} holds null: the
     * layout of PostgreSQL's {@code array_send} (src/backend/utils/adt/arrayfuncs.c): dimension
     * count, has-nulls flag, element type OID, per dimension its length and lower bound (1), then
     * each element as a length (-1 for NULL) and its bytes.
     */
    void textArray(List<byte[]> elements) throws SQLException {
        int size = ARRAY_HEADER;
        boolean nulls = false;
        for (byte[] e : elements) {
            size += 4 + (e == null ? 0 : e.length);
            nulls |= e == null;
        }
        arrayHeader(size, nulls, TEXT_OID, elements.size());
        for (byte[] e : elements) {
            if (e == null) {
                putInt(-1);
            } else {
                putInt(e.length);
                System.arraycopy(e, 0, buf, len, e.length);
                len += e.length;
            }
        }
    }

    /** A one-dimensional {@code timestamptz[]} field of {@code micros[from..to)} (see {@link #micros}). */
    void timestamptzArray(long[] micros, int from, int to) throws SQLException {
        arrayHeader(ARRAY_HEADER + (to - from) * 12, false, TIMESTAMPTZ_OID, to - from);
        for (int i = from; i < to; i++) {
            putInt(8);
            putLong(micros[i]);
        }
    }

    private void arrayHeader(int size, boolean nulls, int elementOid, int count) throws SQLException {
        room(4 + size);
        putInt(size);
        putInt(1); // dimensions
        putInt(nulls ? 1 : 0);
        putInt(elementOid);
        putInt(count);
        putInt(1); // lower bound
    }

    /** Ends the data and hands over what is left. */
    void trailer() throws SQLException {
        room(2);
        putShort(-1);
        flush();
    }

    /** Makes room for {@code n} more bytes, handing the buffer over first once it holds enough. */
    private void room(int n) throws SQLException {
        if (len + n > buf.length) {
            flush();
            if (n > buf.length) {
                buf = new byte[n];
            }
        }
    }

    private void flush() throws SQLException {
        if (len > 0) {
            copy.writeToCopy(buf, 0, len);
            len = 0;
        }
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }
}
