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
 * {@code events}.
 *
 * <p>Events are partitioned by the center's receive time, not the box's clock: a box without a
 * real-time clock may report 1970 or next year, while {@code received_at} is always near now, so
 * partitions can be made ahead and old months dropped whole for retention. Reports by the box's
 * time use the {@code occurred_at} indexes.
 *
 * <p>PostgreSQL cannot enforce a unique index across partitions unless it holds the partition
 * key, so {@code (device, stream, seq)} is unique per partition by index, and across partitions by
 * the stream mark: a seq is stored only while it is above the mark, under the mark's row lock,
 * in the transaction that raises the mark past it (see {@link PostgresEventStore}).
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
            )"""));

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
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + "'schema'))");
            c.commit();
            try {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)");
                c.commit();
                for (int v = currentVersion(s, where); v < MIGRATIONS.size(); v++) {
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
                     + "WHERE i.inhparent = 'events'::regclass")) {
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
                s.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF events FOR VALUES FROM ('"
                        + m.atDay(1) + " 00:00:00+00') TO ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + name + "_key ON " + name + " (device, stream, seq)");
                c.commit();
                partitions.add(m);
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    static String partitionName(YearMonth m) {
        return String.format(Locale.ROOT, "events_%04d_%02d", m.getYear(), m.getMonthValue());
    }

    private static YearMonth monthOf(String partition) {
        if (!partition.matches("events_\\d{4}_\\d{2}")) {
            return null;
        }
        return YearMonth.of(Integer.parseInt(partition.substring(7, 11)), Integer.parseInt(partition.substring(12, 14)));
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
