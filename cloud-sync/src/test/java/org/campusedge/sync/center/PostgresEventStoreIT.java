package org.campusedge.sync.center;

import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link EventStoreContract} on a real PostgreSQL, each test in its own schema, plus what only PostgreSQL has. */
class PostgresEventStoreIT extends EventStoreContract {

    private PostgresTestSchema schema;

    @Override
    protected void createDatabase() throws SQLException {
        schema = PostgresTestSchema.create();
    }

    @Override
    protected EventStore openStore() {
        return PostgresEventStore.open(schema.url(), PostgresTestSchema.USER, null, 8);
    }

    @Override
    protected void dropDatabase() throws SQLException {
        schema.close();
    }

    @Override
    protected int storedSchemaVersion() throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    protected int currentSchemaVersion() {
        return PostgresEventStore.schemaVersion();
    }

    @Override
    protected void pretendSchemaVersion(int version) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + version + ", now())");
        }
    }

    /**
     * A real crash of the session: with {@code stream_marks} share-locked, the ingest writes its
     * events and then blocks on the mark update; the test terminates its backend there, as if
     * the data center died, and PostgreSQL rolls the transaction back.
     */
    @Override
    protected Throwable failBetweenInsertAndCommit(IngestBatch batch, Instant receivedAt) throws Exception {
        try (Connection admin = PostgresTestSchema.admin()) {
            admin.setAutoCommit(false);
            try (Statement s = admin.createStatement()) {
                s.execute("LOCK TABLE " + schema.name() + ".stream_marks IN SHARE MODE");
            }
            CompletableFuture<Object> ingest = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.ingest(batch, receivedAt);
                } catch (GapException e) {
                    throw new IllegalStateException(e);
                }
            });
            int killed = 0;
            // The mark update waits for its lock while being parsed, so pg_stat_activity still shows
            // the COPY: find it by the lock it waits for instead.
            try (PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(l.pid) FROM pg_locks l "
                    + "JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = ? AND NOT l.granted "
                    + "AND l.relation = '" + schema.name() + ".stream_marks'::regclass AND l.mode = 'RowExclusiveLock'")) {
                kill.setString(1, schema.applicationName());
                for (long deadline = System.nanoTime() + 30_000_000_000L; killed == 0 && System.nanoTime() < deadline; ) {
                    try (ResultSet rs = kill.executeQuery()) {
                        killed = rs.next() ? 1 : 0;
                    }
                    Thread.sleep(10);
                }
            }
            admin.rollback();
            assertThat(killed).as("an ingest that wrote its events and waits to update its mark was terminated").isEqualTo(1);
            try {
                ingest.get(30, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    @Test
    void partitions_are_monthly_by_receive_time_and_made_ahead() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 5), Instant.parse("2031-06-30T23:59:59Z"));
        store.ingest(batch("box-1", "priority", 6, 9), Instant.parse("2031-07-01T00:00:00Z"));

        List<String> partitions = partitions();
        YearMonth now = YearMonth.now(java.time.ZoneOffset.UTC);
        assertThat(partitions).contains(PostgresSchema.partitionName(now), PostgresSchema.partitionName(now.plusMonths(2)),
                "events_2031_06", "events_2031_07", "events_2031_08", "events_2031_09");
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM events_2031_06), (SELECT count(*) FROM events_2031_07)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5);
            assertThat(rs.getLong(2)).isEqualTo(4);
        }
    }

    @Test
    void each_partition_enforces_unique_device_stream_seq_and_carries_the_report_indexes() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 3), NOW);

        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO events (device, stream, seq, type, occurred_at, received_at, payload) "
                    + "VALUES ('box-1', 'priority', 2, 't', now(), '" + NOW + "', '{}')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("duplicate key");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    + "AND tablename = 'events_2025_03' ORDER BY indexname")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            assertThat(indexes).anySatisfy(i -> assertThat(i).contains("UNIQUE").contains("(device, stream, seq)"))
                    .anySatisfy(i -> assertThat(i).contains("(device, occurred_at)"))
                    .anySatisfy(i -> assertThat(i).contains("(room, occurred_at)"))
                    .anySatisfy(i -> assertThat(i).contains("(type, occurred_at)"));
            try (ResultSet rs = s.executeQuery("SELECT room, count(*) FROM events GROUP BY room ORDER BY room")) {
                List<String> rooms = new ArrayList<>();
                while (rs.next()) {
                    rooms.add(rs.getString(1) + "=" + rs.getLong(2));
                }
                assertThat(rooms).containsExactly("studio-0=1", "studio-1=1", "studio-2=1");
            }
        }
    }

    @Test
    void both_writers_store_the_same_rows() throws Exception {
        store.close();
        store = PostgresEventStore.open(schema.url(), PostgresTestSchema.USER, null, 2, PostgresEventWriter.MULTI_ROW_INSERT,
                java.time.Clock.systemUTC());

        store.ingest(batch("box-1", "priority", 1, 2_500), NOW);
        store.ingest(batch("box-1", "priority", 2_000, 2_600), NOW);

        assertThat(store.count("box-1", "priority")).isEqualTo(2_600);
        assertThat(store.events("box-1", "priority", 999, 2)).extracting(StoredEvent::payloadJson)
                .containsExactly(event(1_000).payloadJson(), event(1_001).payloadJson());
    }

    /**
     * Binary COPY sends timestamps as microseconds it rounds itself; they must be what the text
     * formats store, sub-microsecond rests rounded to the nearest, and texts (NULL room, tabs, backslashes,
     * non-ASCII) must arrive byte for byte.
     */
    @Test
    void binary_copy_stores_what_text_copy_and_insert_store() throws Exception {
        List<WireEvent> events = new ArrayList<>();
        int[] nanos = {0, 1_499, 1_501, 2_501, 999_999_499, 123_456_789};
        for (int i = 0; i < nanos.length; i++) {
            events.add(new WireEvent(i + 1, "t\tab\\", BOX_TIME.minusSeconds(40L * 365 * 86_400).plusSeconds(i).plusNanos(nanos[i]),
                    i % 2 == 0 ? "{\"room\":\"stüdio\\t\",\"x\":\"a\\\\b\"}" : "{\"x\":\"\u00e9\\n\"}"));
        }
        List<List<String>> stored = new ArrayList<>();
        for (PostgresEventWriter writer : PostgresEventWriter.values()) {
            store.close();
            store = PostgresEventStore.open(schema.url(), PostgresTestSchema.USER, null, 2, writer, java.time.Clock.systemUTC());
            String device = "box-" + writer.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            store.ingest(IngestBatch.of(device, "priority", events), NOW.plusNanos(2_400));
            List<String> rows = new ArrayList<>();
            try (Connection c = schema.connect(); PreparedStatement q = c.prepareStatement("SELECT seq, type, room, "
                    + "extract(epoch FROM occurred_at)::numeric(20,6), extract(epoch FROM received_at)::numeric(20,6), payload "
                    + "FROM events WHERE device = ? ORDER BY seq")) {
                q.setString(1, device);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getBigDecimal(4) + "|"
                                + rs.getBigDecimal(5) + "|" + rs.getString(6));
                    }
                }
            }
            stored.add(rows);
        }
        assertThat(stored.get(0)).hasSize(nanos.length).contains("1|" + events.get(0).type() + "|stüdio\t|" + new java.math.BigDecimal(
                BOX_TIME.minusSeconds(40L * 365 * 86_400).getEpochSecond()).setScale(6) + "|" + new java.math.BigDecimal(
                NOW.getEpochSecond()).add(new java.math.BigDecimal("0.000002")) + "|" + events.get(0).payloadJson());
        assertThat(stored).allSatisfy(rows -> assertThat(rows).isEqualTo(stored.get(0)));
    }

    /**
     * Prints what each writer sustains in this schema: 8 streams at once (the default connection
     * count), batches of 500 as boxes send them. Binary COPY, the cheapest per event, is the default.
     */
    @Test
    void copy_and_multi_row_insert_rates_are_printed() throws Exception {
        for (PostgresEventWriter writer : List.of(PostgresEventWriter.MULTI_ROW_INSERT, PostgresEventWriter.COPY,
                PostgresEventWriter.COPY_BINARY, PostgresEventWriter.MULTI_ROW_INSERT, PostgresEventWriter.COPY,
                PostgresEventWriter.COPY_BINARY)) {
            try (EventStore s = PostgresEventStore.open(schema.url(), PostgresTestSchema.USER, null, 8, writer, java.time.Clock.systemUTC())) {
                String prefix = writer.name().toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime();
                List<IngestBatch> batches = new ArrayList<>();
                for (int d = 0; d < 8; d++) {
                    for (int b = 0; b < 20; b++) {
                        batches.add(batch(prefix + "-" + d, "priority", b * 500L + 1, (b + 1) * 500L));
                    }
                }
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
                long start = System.nanoTime();
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int d = 0; d < 8; d++) {
                    int device = d;
                    done.add(pool.submit(() -> {
                        for (int b = 0; b < 20; b++) {
                            s.ingest(batches.get(device * 20 + b), NOW);
                        }
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get();
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(java.util.Locale.ROOT, "writer %-16s %,8.0f events/s (80,000 events, 8 streams at once, batches of 500)%n",
                        writer, 80_000 / seconds);
            }
        }
    }

    @Test
    void a_store_heals_after_its_connections_are_killed_and_close_ends_its_sessions() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 3), NOW);
        try (Connection admin = PostgresTestSchema.admin(); PreparedStatement kill = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            kill.setString(1, schema.applicationName());
            kill.executeQuery().close();
        }

        assertThatThrownBy(() -> store.ingest(batch("box-1", "priority", 4, 6), NOW)).isInstanceOf(EventStoreException.class);
        assertThat(store.ingest(batch("box-1", "priority", 4, 6), NOW).ackedSeq()).isEqualTo(6);
        store.close();
        store = null;

        Eventually.await("no sessions of the closed store", java.time.Duration.ofSeconds(10), () -> {
            try {
                return sessions() == 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void refuses_an_unreachable_database_naming_it() {
        assertThatThrownBy(() -> PostgresEventStore.open("jdbc:postgresql://127.0.0.1:1/test?password=secret", "nobody", null, 1))
                .isInstanceOf(EventStoreException.class).hasMessageContaining("jdbc:postgresql://127.0.0.1:1/test")
                .hasMessageNotContaining("secret");
    }

    private List<String> partitions() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long sessions() throws SQLException {
        try (Connection admin = PostgresTestSchema.admin(); PreparedStatement q = admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            q.setString(1, schema.applicationName());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void a_version_1_database_is_migrated_to_keep_backlogs_and_keeps_its_events() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 5), NOW);
        store.close();
        // What a data center released before backlogs were reported left behind.
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE device_backlog");
            s.execute("DELETE FROM schema_version WHERE version > 1");
        }

        store = openStore();
        store.saveBacklogs(List.of(new ReportedBacklog("box-1", new org.campusedge.sync.wire.Backlog(java.util.Map.of("priority",
                new org.campusedge.sync.wire.Backlog.Stream(7, java.util.Optional.of(BOX_TIME)))), NOW)));

        assertThat(storedSchemaVersion()).isEqualTo(2);
        assertThat(store.count("box-1", "priority")).isEqualTo(5);
        assertThat(store.backlogs().get("box-1").backlog().totalEvents()).isEqualTo(7);
        assertThat(store.backlogs().get("box-1").backlog().oldestUnsentAt()).contains(BOX_TIME);
    }
}
