package org.campusedge.sync.center;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL store's tables: versioned migrations, and the monthly partitions of
 * {@code event_blocks}.
 *
 * <p>Events are stored in blocks (schema version 3): one row of {@code event_blocks} holds a
 * contiguous run of one stream's events from one batch, with the per-event type, room, box time
 * and payload in arrays ({@code seq = from_seq + position - 1}) and the block's own summary for
 * searching: its box-time range {@code first_at..last_at}, always under
 * {@link EventBlocks#MAX_SPAN}, and the distinct types and rooms in it. A row per event paid the
 * heap tuple and four B-tree entries per event, about 20 µs of database CPU each; a block of 500
 * pays them once, and lz4 keeps the arrays small. The view {@code events} shows the old
 * one-row-per-event shape for reading by hand. Searches read blocks in {@code first_at} order
 * through the block time index (see {@link PostgresBlockSearch}).
 *
 * <p>Blocks are partitioned by the center's receive time, not the box's clock: a box without a
 * real-time clock may report 1970 or next year, while {@code received_at} is always near now, so
 * partitions can be made ahead and old months dropped whole for retention.
 *
 * <p>PostgreSQL cannot enforce a unique index across partitions unless it holds the partition
 * key, so {@code (device, stream, to_seq)} is unique per partition by index, and a seq is held
 * once across partitions by the stream mark: it is stored only while it is above the mark, under
 * the mark's row lock, in the transaction that raises the mark past it (see
 * {@link PostgresEventStore}).
 *
 * <p>Thread-safe: the set of known partitions is concurrent; creating one is serialised across
 * processes by an advisory lock.
 */
final class PostgresSchema {

    /** Months of partitions kept ready beyond the newest month an event arrived in. */
    static final int MONTHS_AHEAD = 2;

    /** Schema migrations; entry n brings the schema from version n to n + 1. Never edit a released one. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE stream_marks (
                device     text        NOT NULL,
                stream     text        NOT NULL,
                acked_seq  bigint      NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (device, stream)
            )""",
            """
            CREATE TABLE events (
                device      text        NOT NULL,
                stream      text        NOT NULL,
                seq         bigint      NOT NULL,
                type        text        NOT NULL,
                room        text,
                occurred_at timestamptz NOT NULL,
                received_at timestamptz NOT NULL,
                payload     text        NOT NULL
            ) PARTITION BY RANGE (received_at)""",
            // Indexes on the parent are created on every partition, present and future.
            "CREATE INDEX events_by_device_time ON events (device, occurred_at)",
            "CREATE INDEX events_by_room_time ON events (room, occurred_at) WHERE room IS NOT NULL",
            "CREATE INDEX events_by_type_time ON events (type, occurred_at)",
            """
            CREATE TABLE gaps (
                device      text        NOT NULL,
                stream      text        NOT NULL,
                from_seq    bigint      NOT NULL,
                to_seq      bigint      NOT NULL,
                count       bigint      NOT NULL,
                reason      text        NOT NULL,
                lost_at     timestamptz NOT NULL,
                received_at timestamptz NOT NULL,
                PRIMARY KEY (device, stream, from_seq)
            )"""),
            // 2: the backlog each box reported last (events it still has to send, per stream).
            List.of("""
            CREATE TABLE device_backlog (
                device           text        NOT NULL,
                stream           text        NOT NULL,
                events           bigint      NOT NULL,
                oldest_unsent_at timestamptz,
                reported_at      timestamptz NOT NULL,
                PRIMARY KEY (device, stream)
            )"""),
            // 3: events stored in blocks, one row per contiguous run of a stream's events (see the class comment).
            List.of("""
            CREATE TABLE event_blocks (
                device      text          NOT NULL,
                stream      text          NOT NULL,
                from_seq    bigint        NOT NULL,
                to_seq      bigint        NOT NULL,
                first_at    timestamptz   NOT NULL,
                last_at     timestamptz   NOT NULL,
                received_at timestamptz   NOT NULL,
                types       text[]        NOT NULL,
                rooms       text[]        NOT NULL,
                ev_type     text[]        NOT NULL,
                ev_room     text[]        NOT NULL,
                ev_at       timestamptz[] NOT NULL,
                ev_payload  text[]        NOT NULL,
                CHECK (to_seq >= from_seq AND last_at >= first_at AND last_at - first_at < interval '%d seconds')
            ) PARTITION BY RANGE (received_at)""".formatted(EventBlocks.MAX_SPAN.toSeconds()),
            // lz4 where the server was built with it (PostgreSQL 14+ usually is): pglz was a quarter of the server's CPU per block.
            """
            DO $$ BEGIN
                ALTER TABLE event_blocks ALTER ev_type SET COMPRESSION lz4, ALTER ev_room SET COMPRESSION lz4,
                    ALTER ev_at SET COMPRESSION lz4, ALTER ev_payload SET COMPRESSION lz4;
            EXCEPTION WHEN feature_not_supported THEN
                RAISE NOTICE 'no lz4 in this server: event arrays are compressed with pglz';
            END $$""",
            "CREATE INDEX event_blocks_by_time ON event_blocks (first_at)",
            "CREATE INDEX event_blocks_by_device_time ON event_blocks (device, first_at)",
            // A block partition for each month events were kept in, each with its unique key.
            """
            DO $$ DECLARE p record; BEGIN
                FOR p IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
                         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF event_blocks %s', 'event_blocks' || substr(p.relname, 7), p.bound);
                    EXECUTE format('CREATE UNIQUE INDEX %I ON %I (device, stream, to_seq)',
                                   'event_blocks' || substr(p.relname, 7) || '_key', 'event_blocks' || substr(p.relname, 7));
                END LOOP;
            END $$""",
            // Rows become blocks: runs of consecutive seqs written by one batch (one receive time)
            // whose box times fall in one bucket of MAX_SPAN, so every block keeps the span bound.
            """
            INSERT INTO event_blocks (device, stream, from_seq, to_seq, first_at, last_at, received_at, types, rooms,
                                      ev_type, ev_room, ev_at, ev_payload)
            SELECT device, stream, min(seq), max(seq), min(occurred_at), max(occurred_at), received_at,
                   array_agg(DISTINCT type), coalesce(array_agg(DISTINCT room) FILTER (WHERE room IS NOT NULL), '{}'),
                   array_agg(type ORDER BY seq), array_agg(room ORDER BY seq), array_agg(occurred_at ORDER BY seq),
                   array_agg(payload ORDER BY seq)
            FROM (SELECT e.*, seq - row_number() OVER (PARTITION BY device, stream, received_at, bucket ORDER BY seq) AS run
                  FROM (SELECT *, floor(extract(epoch FROM occurred_at) / %d) AS bucket FROM events) e) r
            GROUP BY device, stream, received_at, bucket, run""".formatted(EventBlocks.MAX_SPAN.toSeconds()),
            "DROP TABLE events",
            // The one-row-per-event shape, for reading by hand and by reporting tools.
            """
            CREATE VIEW events AS
            SELECT b.device, b.stream, b.from_seq + e.n - 1 AS seq, e.type, e.room, e.occurred_at, b.received_at, e.payload
            FROM event_blocks b
            CROSS JOIN LATERAL unnest(b.ev_type, b.ev_room, b.ev_at, b.ev_payload) WITH ORDINALITY AS e(type, room, occurred_at, payload, n)"""));

    /** Advisory lock keys: per schema and purpose, so stores in other schemas never wait. */
    private static final String LOCK_KEY = "hashtext(current_schema() || '.campus-edge-' || ";

    private final Set<YearMonth> partitions = ConcurrentHashMap.newKeySet();

    /** The current schema version of a store. */
    static int version() {
        return MIGRATIONS.size();
    }

    /**
     * Brings the schema up to date, each migration once in its own transaction, and refuses a
     * schema newer than this build knows. Several data centers starting together migrate once:
     * an advisory lock per schema serialises them.
     */
    void migrate(Connection c, String where) throws SQLException {
        migrate(c, where, MIGRATIONS.size());
    }

    /** Brings the schema up to {@code version} (for tests that need a database an older build left). */
    void migrate(Connection c, String where, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + "'schema'))");
            c.commit();
            try {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)");
                c.commit();
                for (int v = currentVersion(s, where); v < version; v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + (v + 1) + ", now())");
                    c.commit();
                }
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + "'schema'))");
                c.commit();
            }
        }
    }

    /** Reads the partitions that exist, and makes this month's and the next ones. */
    void prepare(Connection c, Instant now) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'event_blocks'::regclass")) {
            while (rs.next()) {
                YearMonth m = monthOf(rs.getString(1));
                if (m != null) {
                    partitions.add(m);
                }
            }
        }
        c.commit();
        ensure(c, now);
    }

    /** True if the partition for {@code receivedAt} and the months ahead of it are known to exist. */
    boolean ready(Instant receivedAt) {
        YearMonth m = YearMonth.from(receivedAt.atOffset(ZoneOffset.UTC));
        for (int i = 0; i <= MONTHS_AHEAD; i++) {
            if (!partitions.contains(m.plusMonths(i))) {
                return false;
            }
        }
        return true;
    }

    /** Creates the partition for {@code receivedAt}'s month and {@link #MONTHS_AHEAD} after it, each with its unique key. */
    void ensure(Connection c, Instant receivedAt) throws SQLException {
        YearMonth first = YearMonth.from(receivedAt.atOffset(ZoneOffset.UTC));
        try (Statement s = c.createStatement()) {
            for (int i = 0; i <= MONTHS_AHEAD; i++) {
                YearMonth m = first.plusMonths(i);
                if (partitions.contains(m)) {
                    continue;
                }
                lockSchema(s, "partitions");
                String name = partitionName(m);
                s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF event_blocks FOR VALUES FROM ('"
                        + m.atDay(1) + " 00:00:00+00') TO ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + name + "_key ON " + name + " (device, stream, to_seq)");
                c.commit();
                partitions.add(m);
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    static String partitionName(YearMonth m) {
        return String.format(Locale.ROOT, "event_blocks_%04d_%02d", m.getYear(), m.getMonthValue());
    }

    private static YearMonth monthOf(String partition) {
        if (!partition.matches("event_blocks_\\d{4}_\\d{2}")) {
            return null;
        }
        return YearMonth.of(Integer.parseInt(partition.substring(13, 17)), Integer.parseInt(partition.substring(18, 20)));
    }

    private static int currentVersion(Statement s, String where) throws SQLException {
        int version;
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > MIGRATIONS.size()) {
            throw new SQLException(where + " has schema version " + version + " but this build knows up to "
                    + MIGRATIONS.size() + "; run a newer data center");
        }
        return version;
    }

    /** A transaction-scoped advisory lock, one per schema and purpose, so other schemas never wait. */
    private static void lockSchema(Statement s, String purpose) throws SQLException {
        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + "'" + purpose + "'))");
    }
}
