package org.campusedge.agent.downlink;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.campusedge.agent.journal.Journal;
import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.wire.JsonCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The box's copy of its downlink in the journal file: table {@code downlink_items} (one row per
 * live item) and the applied version in {@code downlink_state}. A delta is written in one
 * transaction on the journal's writer, version included, so after a crash or a power cut the box
 * holds either the old version whole or the new one whole, and restarts on it offline.
 */
public final class DownlinkStateStore {

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS downlink_items (
            scope    TEXT NOT NULL,
            kind     TEXT NOT NULL,
            item_key TEXT NOT NULL,
            value    TEXT NOT NULL,
            version  INTEGER NOT NULL,
            PRIMARY KEY (scope, kind, item_key)
        )""",
        "CREATE TABLE IF NOT EXISTS downlink_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO downlink_state (name, value) VALUES ('version', 0)",
    };

    private final Journal journal;
    private final Consumer<DownlinkChange> beforeEachWrite;

    /** Creates the tables if needed (waits for the journal's writer). */
    public DownlinkStateStore(Journal journal) {
        this(journal, c -> { });
    }

    /** With a hook run before each item is written, inside the transaction (tests break a write midway with it). */
    DownlinkStateStore(Journal journal, Consumer<DownlinkChange> beforeEachWrite) {
        this.journal = journal;
        this.beforeEachWrite = beforeEachWrite;
        journal.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return null;
        }).join();
    }

    /** The applied version and its items. */
    public DownlinkItems load() {
        return journal.read(c -> {
            long version;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT value FROM downlink_state WHERE name = 'version'")) {
                version = rs.next() ? rs.getLong(1) : 0;
            }
            List<DownlinkChange> items = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT scope, kind, item_key, version, value FROM downlink_items")) {
                while (rs.next()) {
                    try {
                        items.add(new DownlinkChange(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                JsonCodec.mapper().readTree(rs.getString(5))));
                    } catch (JsonProcessingException e) {
                        throw new SQLException("downlink item " + rs.getString(2) + " " + rs.getString(3) + " is not JSON", e);
                    }
                }
            }
            return DownlinkItems.of(version, items);
        });
    }

    /** Writes {@code delta} and its version in one transaction; completes when committed. */
    public CompletableFuture<Long> save(DownlinkDelta delta) {
        return journal.write(c -> {
            if (delta.snapshot()) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM downlink_items");
                }
            }
            for (DownlinkChange ch : delta.changes()) {
                beforeEachWrite.accept(ch);
                write(c, ch);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE downlink_state SET value = ? WHERE name = 'version'")) {
                ps.setLong(1, delta.version());
                ps.executeUpdate();
            }
            return delta.version();
        });
    }

    private static void write(Connection c, DownlinkChange ch) throws SQLException {
        if (ch.removed()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM downlink_items WHERE scope = ? AND kind = ? AND item_key = ?")) {
                ps.setString(1, ch.scope());
                ps.setString(2, ch.kind());
                ps.setString(3, ch.key());
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO downlink_items (scope, kind, item_key, value, version)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (scope, kind, item_key) DO UPDATE SET value = excluded.value,"
                + " version = excluded.version")) {
            ps.setString(1, ch.scope());
            ps.setString(2, ch.kind());
            ps.setString(3, ch.key());
            ps.setString(4, ch.value().toString());
            ps.setLong(5, ch.version());
            ps.executeUpdate();
        }
    }
}
