package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ReportStoreContract} on a real PostgreSQL, plus that the report's search uses the report indexes. */
class PostgresReportStoreIT extends ReportStoreContract {

    private PostgresTestSchema schema;

    @Override
    protected void createDatabase() throws SQLException {
        schema = PostgresTestSchema.create();
    }

    @Override
    protected EventStore openStore() {
        return PostgresEventStore.open(schema.url(), PostgresTestSchema.USER, null, 4);
    }

    @Override
    protected void dropDatabase() throws SQLException {
        schema.close();
    }

    /**
     * The usage report's scan (two types, a time range) and a room search are answered from the
     * {@code (type, occurred_at)} and {@code (room, occurred_at)} indexes of each partition, not by
     * reading whole partitions. Sequential scans are priced out so the plan does not depend on how
     * few rows the test has.
     */
    @Test
    void the_usage_scan_and_a_room_search_use_the_report_indexes() throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            String usage = plan(s, "SELECT device, stream, seq FROM events WHERE occurred_at >= now() - interval '400 days' "
                    + "AND occurred_at < now() AND type IN ('access.decision', 'room.occupancy_reset') "
                    + "ORDER BY occurred_at, device, stream, seq LIMIT 5000");
            String room = plan(s, "SELECT device FROM events WHERE occurred_at >= now() - interval '400 days' "
                    + "AND occurred_at < now() AND room = 'studio-1' ORDER BY occurred_at LIMIT 100");

            assertThat(usage).contains("type_occurred_at_idx").doesNotContain("Seq Scan");
            assertThat(room).contains("room_occurred_at_idx").doesNotContain("Seq Scan");
        }
    }

    private static String plan(Statement s, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
