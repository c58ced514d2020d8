package org.campusedge.sync.center;

import org.campusedge.sync.wire.Backlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads {@code device_backlog} rows (device, stream, events, oldest_unsent_at, reported_at), the
 * same table in both stores, into one {@link ReportedBacklog} per device. Stateless.
 */
final class BacklogRows {

    /** Reads a time column the way a store stores times. */
    interface TimeReader {
        Instant read(ResultSet rs, int column) throws SQLException;
    }

    private BacklogRows() {
    }

    static Map<String, ReportedBacklog> read(ResultSet rs, TimeReader time) throws SQLException {
        Map<String, Map<String, Backlog.Stream>> streams = new HashMap<>();
        Map<String, Instant> reported = new HashMap<>();
        while (rs.next()) {
            String device = rs.getString(1);
            Optional<Instant> oldest = rs.getObject(4) == null ? Optional.empty() : Optional.of(time.read(rs, 4));
            streams.computeIfAbsent(device, d -> new HashMap<>()).put(rs.getString(2), new Backlog.Stream(rs.getLong(3), oldest));
            reported.merge(device, time.read(rs, 5), (a, b) -> a.isAfter(b) ? a : b);
        }
        Map<String, ReportedBacklog> out = new TreeMap<>();
        streams.forEach((device, s) -> out.put(device, new ReportedBacklog(device, new Backlog(s), reported.get(device))));
        return out;
    }
}
