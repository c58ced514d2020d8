package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ReportStoreContract} on a real PostgreSQL, plus that the report's search reads blocks by the block time index. */
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
     * The usage report's scan (two types, a time range, a school's devices) and a room search read
     * blocks through the block time index of each partition, not whole partitions. Sequential
     * scans are priced out so the plan does not depend on how few rows the test has.
     */
    @Test
    void the_usage_scan_and_a_room_search_use_the_block_time_index() throws SQLException {
        Instant to = RECEIVED;
        Instant from = to.minus(java.time.Duration.ofDays(400));
        EventQuery usage = new EventQuery(Optional.of(Set.of("box-a", "box-b")), Optional.empty(),
                Set.of("access.decision", "room.occupancy_reset"), from, to, Optional.empty(), 5_000);
        EventQuery room = new EventQuery(Optional.empty(), Optional.of("studio-1"), Set.of(), from, to, Optional.empty(), 100);
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            assertThat(plan(c, usage)).contains("first_at_idx").doesNotContain("Seq Scan");
            assertThat(plan(c, room)).contains("first_at_idx").doesNotContain("Seq Scan");
        }
    }

    private static String plan(Connection c, EventQuery q) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (java.sql.PreparedStatement p = c.prepareStatement("EXPLAIN " + PostgresBlockSearch.INSTANCE.sql(q, false))) {
            PostgresBlockSearch.INSTANCE.bind(p, q, q.from(), null, BlockSearch.FIRST_CHUNK, c);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
