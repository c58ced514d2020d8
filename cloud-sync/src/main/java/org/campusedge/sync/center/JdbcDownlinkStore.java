package org.campusedge.sync.center;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.downlink.DownlinkEdit;
import org.campusedge.sync.downlink.DownlinkKind;
import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.wire.JsonCodec;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The {@link DownlinkStore} on JDBC. The SQL is the common subset of SQLite and PostgreSQL
 * ({@code INSERT ... ON CONFLICT}, {@code BIGINT}, {@code TEXT}), so one class serves both; only
 * how a transaction gets its connection differs: SQLite has one connection behind this object's
 * monitor, PostgreSQL a small pool ({@link PostgresConnections}).
 *
 * <p>Tables: {@code downlink_items} (scope, kind, key → value or NULL for a removal, the version
 * that last changed it, when), {@code downlink_meta} (the version counter and the compaction
 * mark) and {@code downlink_devices} (each box's reported running version).
 */
final class JdbcDownlinkStore implements DownlinkStore {

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS downlink_items (
            scope      TEXT NOT NULL,
            kind       TEXT NOT NULL,
            item_key   TEXT NOT NULL,
            value      TEXT,
            version    BIGINT NOT NULL,
            changed_us BIGINT NOT NULL,
            PRIMARY KEY (scope, kind, item_key)
        )""",
        "CREATE INDEX IF NOT EXISTS downlink_items_by_version ON downlink_items (scope, version)",
        "CREATE TABLE IF NOT EXISTS downlink_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        "INSERT INTO downlink_meta (name, value) VALUES ('version', 0) ON CONFLICT (name) DO NOTHING",
        "INSERT INTO downlink_meta (name, value) VALUES ('compacted', 0) ON CONFLICT (name) DO NOTHING",
        """
        CREATE TABLE IF NOT EXISTS downlink_devices (
            device_id       TEXT PRIMARY KEY,
            running_version BIGINT NOT NULL,
            reported_us     BIGINT NOT NULL
        )""",
    };

    /** Work in one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs work in a transaction: commit when it returns, roll back when it throws. */
    interface Transactions extends AutoCloseable {
        <T> T inTransaction(String what, Work<T> work);

        @Override
        void close();
    }

    private final String where;
    private final Transactions tx;

    private JdbcDownlinkStore(String where, Transactions tx) {
        this.where = where;
        this.tx = tx;
        tx.inTransaction("create the downlink tables", c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    static JdbcDownlinkStore sqlite(Path file) {
        try {
            SqliteFiles.createFolder(file);
            Connection c = SqliteFiles.connect(file);
            c.setAutoCommit(false);
            return new JdbcDownlinkStore("SQLite " + file, new SqliteTransactions(c, file));
        } catch (IOException | SQLException e) {
            throw new DownlinkStoreException("cannot open the downlink store " + file + ": " + e.getMessage(), e);
        }
    }

    static JdbcDownlinkStore postgres(String url, String user, String password) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "campus-edge-datacenter");
        PostgresConnections pool = new PostgresConnections(url, p, 4);
        Transactions tx = new Transactions() {
            @Override
            public <T> T inTransaction(String what, Work<T> work) {
                try {
                    return pool.<T, RuntimeException>inTransaction(what, work::run);
                } catch (EventStoreException e) {
                    throw new DownlinkStoreException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                pool.close();
            }
        };
        try {
            return new JdbcDownlinkStore("PostgreSQL " + new DataCenterConfig.Postgres(url, "", null, 1).urlWithoutParameters(), tx);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public Written apply(DownlinkScope scope, List<DownlinkEdit> edits, Set<DownlinkKind> replaceKinds, Instant at) {
        long us = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return tx.inTransaction("write the downlink of " + scope, c -> {
            // Taking the counter first holds the write lock for the whole transaction: versions commit in order.
            long version = bump(c);
            Map<String, String> wanted = new HashMap<>();
            Set<String> seen = new HashSet<>();
            int changed = 0;
            for (DownlinkEdit e : edits) {
                String id = e.kind().wireName() + "\u0000" + e.key();
                if (!seen.add(id)) {
                    throw new IllegalArgumentException(e.kind().wireName() + " " + e.key() + " appears twice in one write");
                }
                wanted.put(id, e.removes() ? null : text(e.value()));
            }
            for (DownlinkEdit e : edits) {
                changed += put(c, scope, e.kind().wireName(), e.key(), wanted.get(e.kind().wireName() + "\u0000" + e.key()), version, us);
            }
            for (DownlinkKind kind : replaceKinds) {
                for (String key : liveKeys(c, scope, kind)) {
                    if (!seen.contains(kind.wireName() + "\u0000" + key)) {
                        changed += put(c, scope, kind.wireName(), key, null, version, us);
                    }
                }
            }
            if (changed == 0) {
                c.rollback();
                return new Written(version - 1, 0);
            }
            return new Written(version, changed);
        });
    }

    @Override
    public DownlinkDelta since(Collection<DownlinkScope> scopes, long since) {
        return tx.inTransaction("read the downlink", c -> {
            long version = meta(c, "version");
            // A box at 0 holds nothing: a snapshot spares it the tombstones, unless there is nothing at all (then it waits).
            boolean snapshot = since <= 0 && version > 0 || since < meta(c, "compacted") || since > version;
            List<DownlinkChange> changes = new ArrayList<>();
            String sql = "SELECT scope, kind, item_key, version, value FROM downlink_items WHERE scope = ? AND "
                    + (snapshot ? "value IS NOT NULL" : "version > ?");
            for (DownlinkScope scope : scopes) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, scope.text());
                    if (!snapshot) {
                        ps.setLong(2, since);
                    }
                    changes.addAll(read(ps));
                }
            }
            changes.sort((a, b) -> Long.compare(a.version(), b.version()));
            for (DownlinkChange ch : changes) {
                version = Math.max(version, ch.version());
            }
            return new DownlinkDelta(Math.max(0, since), version, snapshot, changes);
        });
    }

    @Override
    public List<DownlinkChange> items(DownlinkScope scope, Optional<DownlinkKind> kind) {
        return tx.inTransaction("read the downlink of " + scope, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, kind, item_key, version, value FROM downlink_items"
                    + " WHERE scope = ? AND value IS NOT NULL" + (kind.isPresent() ? " AND kind = ?" : "") + " ORDER BY kind, item_key")) {
                ps.setString(1, scope.text());
                if (kind.isPresent()) {
                    ps.setString(2, kind.get().wireName());
                }
                return read(ps);
            }
        });
    }

    @Override
    public long version() {
        return tx.inTransaction("read the downlink version", c -> meta(c, "version"));
    }

    @Override
    public long compactedVersion() {
        return tx.inTransaction("read the downlink compaction mark", c -> meta(c, "compacted"));
    }

    @Override
    public int compact(Instant before) {
        long us = ChronoUnit.MICROS.between(Instant.EPOCH, before);
        return tx.inTransaction("compact the downlink", c -> {
            long newest;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT max(version) FROM downlink_items WHERE value IS NULL AND changed_us < ?")) {
                ps.setLong(1, us);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    newest = rs.getLong(1);
                }
            }
            if (newest == 0) {
                return 0;
            }
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM downlink_items WHERE value IS NULL AND version <= ?")) {
                ps.setLong(1, newest);
                removed = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE downlink_meta SET value = ? WHERE name = 'compacted' AND value < ?")) {
                ps.setLong(1, newest);
                ps.setLong(2, newest);
                ps.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public void reportRunning(String deviceId, long version, Instant at) {
        long us = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        tx.inTransaction("record the downlink version of " + deviceId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO downlink_devices (device_id, running_version, reported_us)"
                    + " VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET running_version = excluded.running_version,"
                    + " reported_us = excluded.reported_us")) {
                ps.setString(1, deviceId);
                ps.setLong(2, version);
                ps.setLong(3, us);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Running> running() {
        return tx.inTransaction("read the boxes' downlink versions", c -> {
            List<Running> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT device_id, running_version, reported_us FROM downlink_devices ORDER BY device_id")) {
                while (rs.next()) {
                    out.add(new Running(rs.getString(1), rs.getLong(2), Instant.EPOCH.plus(rs.getLong(3), ChronoUnit.MICROS)));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        tx.close();
    }

    @Override
    public String toString() {
        return "downlink store in " + where;
    }

    private static long bump(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE downlink_meta SET value = value + 1 WHERE name = 'version'");
        }
        return meta(c, "version");
    }

    private static long meta(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM downlink_meta WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Writes one item if it differs from what is stored; 1 if it did. */
    private static int put(Connection c, DownlinkScope scope, String kind, String key, String value, long version, long us)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT value FROM downlink_items WHERE scope = ? AND kind = ? AND item_key = ?")) {
            ps.setString(1, scope.text());
            ps.setString(2, kind);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                boolean exists = rs.next();
                String old = exists ? rs.getString(1) : null;
                if (exists ? java.util.Objects.equals(old, value) : value == null) {
                    return 0;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO downlink_items (scope, kind, item_key, value, version, changed_us)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, kind, item_key) DO UPDATE SET value = excluded.value,"
                + " version = excluded.version, changed_us = excluded.changed_us")) {
            ps.setString(1, scope.text());
            ps.setString(2, kind);
            ps.setString(3, key);
            ps.setString(4, value);
            ps.setLong(5, version);
            ps.setLong(6, us);
            ps.executeUpdate();
        }
        return 1;
    }

    private static List<String> liveKeys(Connection c, DownlinkScope scope, DownlinkKind kind) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_key FROM downlink_items WHERE scope = ? AND kind = ? AND value IS NOT NULL")) {
            ps.setString(1, scope.text());
            ps.setString(2, kind.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static List<DownlinkChange> read(PreparedStatement ps) throws SQLException {
        List<DownlinkChange> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String value = rs.getString(5);
                out.add(new DownlinkChange(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        value == null ? null : tree(value)));
            }
        }
        return out;
    }

    private static String text(JsonNode value) {
        try {
            return JsonCodec.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode a downlink value: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode tree(String text) throws SQLException {
        try {
            return JsonCodec.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("a stored downlink value is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One SQLite connection behind this object's monitor. */
    private record SqliteTransactions(Connection c, Path file) implements Transactions {
        @Override
        public synchronized <T> T inTransaction(String what, Work<T> work) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollback(e);
                throw new DownlinkStoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollback(e);
                throw e;
            }
        }

        private void rollback(Exception e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
        }

        @Override
        public synchronized void close() {
            try {
                c.close();
            } catch (SQLException e) {
                throw new DownlinkStoreException("cannot close " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
