package org.campusedge.agent.access;

import org.campusedge.agent.journal.Journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The allow-list's home in the journal file: table {@code allow_list} plus a version counter in
 * {@code meta} that every change bumps, so a running agent sees an import made by the CLI. Rooms
 * and groups are stored comma-separated and sorted ({@code *} for all rooms).
 */
public final class AllowListStore {

    private static final String ALL = "*";

    private final Journal journal;

    public AllowListStore(Journal journal) {
        this.journal = journal;
    }

    /** The version counter; cheap enough to poll. */
    public long version() {
        return journal.read(AllowListStore::version);
    }

    public AllowList load() {
        return journal.read(c -> {
            long version = version(c);
            List<Permission> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT card_id, person, rooms, valid_from, valid_until, groups FROM allow_list")) {
                while (rs.next()) {
                    String rooms = rs.getString(3);
                    boolean all = rooms.equals(ALL);
                    Set<String> set = all || rooms.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(rooms.split(",")));
                    out.add(new Permission(rs.getString(1), rs.getString(2), set, all, date(rs.getString(4)),
                            date(rs.getString(5)), split(rs.getString(6))));
                }
            }
            return AllowList.of(version, out);
        });
    }

    /**
     * Writes {@code permissions} in one transaction: added or updated by card id, or replacing the
     * whole list when {@code replaceAll}. Completes with the new version.
     */
    public CompletableFuture<Long> save(List<Permission> permissions, boolean replaceAll) {
        long now = Instant.now().toEpochMilli() * 1000;
        return journal.write(c -> {
            if (replaceAll) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM allow_list");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO allow_list (card_id, person, rooms, valid_from, valid_until, updated_us, groups)"
                            + " VALUES (?,?,?,?,?,?,?) ON CONFLICT (card_id) DO UPDATE SET person = excluded.person,"
                            + " rooms = excluded.rooms, valid_from = excluded.valid_from,"
                            + " valid_until = excluded.valid_until, updated_us = excluded.updated_us,"
                            + " groups = excluded.groups")) {
                for (Permission p : permissions) {
                    ps.setString(1, p.cardId());
                    ps.setString(2, p.person());
                    ps.setString(3, p.allRooms() ? ALL : String.join(",", p.rooms().stream().sorted().toList()));
                    ps.setString(4, p.validFrom().map(LocalDate::toString).orElse(null));
                    ps.setString(5, p.validUntil().map(LocalDate::toString).orElse(null));
                    ps.setLong(6, now);
                    ps.setString(7, String.join(",", p.groups().stream().sorted().toList()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'allow_list_version'");
            }
            return version(c);
        });
    }

    private static long version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'allow_list_version'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
        }
    }

    private static Set<String> split(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(joined.split(",")));
    }

    private static Optional<LocalDate> date(String s) {
        return s == null ? Optional.empty() : Optional.of(LocalDate.parse(s));
    }
}
