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
import java.util.Optional;
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
                "event_blocks_2031_06", "event_blocks_2031_07", "event_blocks_2031_08", "event_blocks_2031_09");
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT sum(to_seq - from_seq + 1) FROM event_blocks_2031_06), "
                     + "(SELECT sum(to_seq - from_seq + 1) FROM event_blocks_2031_07)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5);
            assertThat(rs.getLong(2)).isEqualTo(4);
        }
    }

    @Test
    void each_partition_enforces_a_unique_block_end_and_carries_the_time_indexes_and_the_view_shows_rows() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 3), NOW);

        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO event_blocks SELECT * FROM event_blocks"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("duplicate key");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    + "AND tablename = 'event_blocks_2025_03' ORDER BY indexname")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            assertThat(indexes).anySatisfy(i -> assertThat(i).contains("UNIQUE").contains("(device, stream, to_seq)"))
                    .anySatisfy(i -> assertThat(i).contains("(first_at)"))
                    .anySatisfy(i -> assertThat(i).contains("(device, first_at)"));
            try (ResultSet rs = s.executeQuery("SELECT room, count(*) FROM events GROUP BY room ORDER BY room")) {
                List<String> rooms = new ArrayList<>();
                while (rs.next()) {
                    rooms.add(rs.getString(1) + "=" + rs.getLong(2));
                }
                assertThat(rooms).containsExactly("studio-0=1", "studio-1=1", "studio-2=1");
            }
            try (ResultSet rs = s.executeQuery("SELECT types, rooms FROM event_blocks")) {
                rs.next();
                assertThat((String[]) rs.getArray(1).getArray()).containsExactly("card.tap");
                assertThat((String[]) rs.getArray(2).getArray()).containsExactlyInAnyOrder("studio-0", "studio-1", "studio-2");
            }
            try (ResultSet rs = s.executeQuery("SELECT a.attcompression::text, 'lz4' = ANY (st.enumvals) FROM pg_attribute a, pg_settings st "
                    + "WHERE a.attrelid = 'event_blocks_2025_03'::regclass AND a.attname = 'ev_payload' "
                    + "AND st.name = 'default_toast_compression'")) {
                rs.next();
                assertThat(rs.getString(1)).as("payload arrays compressed with lz4 where the server has it")
                        .isEqualTo(rs.getBoolean(2) ? "l" : "");
            }
        }
    }

    /**
     * A batch becomes blocks of at most {@link EventBlocks#MAX_EVENTS} events spanning less than
     * {@link EventBlocks#MAX_SPAN} of box time; a box whose clock jumps between 1970 and now gets
     * a block per jump, and every event still reads back in seq order and is found by time.
     */
    @Test
    void batches_are_cut_into_blocks_by_count_and_by_box_time_span() throws Exception {
        store.ingest(batch("box-1", "priority", 1, 2_500), NOW);
        List<WireEvent> jumpy = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            Instant at = (i / 10) % 2 == 0 ? Instant.EPOCH.plusSeconds(i) : BOX_TIME.plusSeconds(i * 30L);
            jumpy.add(new WireEvent(i, "card.tap", at, "{\"room\":\"lab\",\"n\":" + i + "}"));
        }
        store.ingest(IngestBatch.of("box-2", "priority", jumpy), NOW);

        List<String> blocks = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device, from_seq, to_seq, cardinality(ev_payload), "
                     + "extract(epoch FROM last_at - first_at) < " + EventBlocks.MAX_SPAN.toSeconds()
                     + " FROM event_blocks ORDER BY device, from_seq")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(5)).as("span under the bound").isTrue();
                assertThat(rs.getLong(4)).isEqualTo(rs.getLong(3) - rs.getLong(2) + 1);
                blocks.add(rs.getString(1) + ":" + rs.getLong(2) + ".." + rs.getLong(3));
            }
        }
        assertThat(blocks).containsExactly("box-1:1..1000", "box-1:1001..2000", "box-1:2001..2500",
                "box-2:1..9", "box-2:10..19", "box-2:20..29", "box-2:30..39", "box-2:40..40");
        assertThat(store.count("box-1", "priority")).isEqualTo(2_500);
        assertThat(store.count("box-2", "priority")).isEqualTo(40);
        assertThat(store.events("box-1", "priority", 999, 3)).extracting(StoredEvent::seq).containsExactly(1_000L, 1_001L, 1_002L);
        assertThat(store.events("box-2", "priority", 0, 100)).extracting(StoredEvent::occurredAt)
                .containsExactlyElementsOf(jumpy.stream().map(WireEvent::occurredAt).toList());
        EventQuery.Page epoch = store.search(new EventQuery(Optional.of(java.util.Set.of("box-2")), Optional.empty(), java.util.Set.of(),
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Optional.empty(), 100));
        assertThat(epoch.events()).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 20L, 21L, 22L,
                23L, 24L, 25L, 26L, 27L, 28L, 29L, 40L);
    }

    /**
     * Binary COPY sends timestamps as microseconds it rounds itself; they must be what PostgreSQL
     * makes of the same instant as text, sub-microsecond rests rounded to the nearest even, and
     * texts (NULL room, tabs, backslashes, non-ASCII) must arrive byte for byte.
     */
    @Test
    void binary_copy_stores_times_as_text_would_and_texts_byte_for_byte() throws Exception {
        List<WireEvent> events = new ArrayList<>();
        int[] nanos = {0, 1_499, 1_501, 2_500, 3_500, 999_999_499, 123_456_789};
        for (int i = 0; i < nanos.length; i++) {
            events.add(new WireEvent(i + 1, "t\tab\\", BOX_TIME.minusSeconds(40L * 365 * 86_400).plusSeconds(i).plusNanos(nanos[i]),
                    i % 2 == 0 ? "{\"room\":\"stüdio\\t\",\"x\":\"a\\\\b\"}" : "{\"x\":\"\u00e9\\n\"}"));
        }
        store.ingest(IngestBatch.of("box-1", "priority", events), NOW.plusNanos(2_400));

        try (Connection c = schema.connect();
             PreparedStatement q = c.prepareStatement("SELECT seq, type, room, payload, occurred_at = ?::timestamptz, "
                     + "received_at = ?::timestamptz FROM events WHERE device = 'box-1' AND seq = ?")) {
            for (WireEvent e : events) {
                q.setString(1, e.occurredAt().toString());
                q.setString(2, NOW.plusNanos(2_400).toString());
                q.setLong(3, e.seq());
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo(e.type());
                    assertThat(rs.getString(3)).isEqualTo(e.seq() % 2 == 1 ? "stüdio\t" : null);
                    assertThat(rs.getString(4)).isEqualTo(e.payloadJson());
                    assertThat(rs.getBoolean(5)).as("box time of seq %d as text rounds it", e.seq()).isTrue();
                    assertThat(rs.getBoolean(6)).as("receive time").isTrue();
                }
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
                     + "WHERE i.inhparent = 'event_blocks'::regclass ORDER BY 1")) {
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

    /**
     * A database an older build left, events one row each (schema 1, before backlogs and blocks),
     * is migrated to blocks: every event reads back as it was, by seq and by time, runs of one
     * batch become blocks and a batch spanning more than {@link EventBlocks#MAX_SPAN} of box time
     * is cut, so the search finds every event.
     */
    @Test
    void a_version_1_database_with_events_in_rows_is_migrated_to_blocks_and_keeps_every_event() throws Exception {
        store.close();
        store = null;
        schema.close();
        schema = PostgresTestSchema.create();
        List<WireEvent> wide = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            wide.add(new WireEvent(i, "card.tap", BOX_TIME.plusSeconds(i * 60L), i % 5 == 0 ? "{\"n\":" + i + "}"
                    : "{\"room\":\"lab-" + (i % 2) + "\",\"n\":" + i + "}"));
        }
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            new PostgresSchema().migrate(c, "test", 1);
            s.execute("CREATE TABLE events_2025_03 PARTITION OF events FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00')");
            s.execute("CREATE UNIQUE INDEX events_2025_03_key ON events_2025_03 (device, stream, seq)");
            // box-1's two batches arrived in the same microsecond; box-2's one batch spans 30 minutes.
            insertRows(c, "box-1", batch("box-1", "priority", 1, 4).events(), NOW);
            insertRows(c, "box-1", batch("box-1", "priority", 5, 7).events(), NOW);
            insertRows(c, "box-2", wide, NOW.plusSeconds(1));
            c.commit();
        }

        store = openStore();

        assertThat(storedSchemaVersion()).isEqualTo(currentSchemaVersion());
        assertThat(partitions()).contains("event_blocks_2025_03");
        assertThat(store.count("box-1", "priority")).isEqualTo(7);
        assertThat(store.events("box-1", "priority", 0, 100)).extracting(StoredEvent::payloadJson)
                .containsExactlyElementsOf(batch("box-1", "priority", 1, 7).events().stream().map(WireEvent::payloadJson).toList());
        assertThat(store.events("box-2", "priority", 0, 100)).extracting(StoredEvent::occurredAt, StoredEvent::payloadJson)
                .containsExactlyElementsOf(wide.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.occurredAt(), e.payloadJson())).toList());
        EventQuery.Page lab1 = store.search(new EventQuery(Optional.empty(), Optional.of("lab-1"), java.util.Set.of(),
                BOX_TIME, BOX_TIME.plusSeconds(3600), Optional.empty(), 100));
        assertThat(lab1.events()).extracting(StoredEvent::seq).containsExactly(1L, 3L, 7L, 9L, 11L, 13L, 17L, 19L, 21L, 23L, 27L, 29L);
        try (Connection c = schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), bool_and(last_at - first_at < interval '"
                     + EventBlocks.MAX_SPAN.toSeconds() + " seconds') FROM event_blocks WHERE device = 'box-2'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the 30-minute batch cut into 10-minute buckets").isEqualTo(4L);
            assertThat(rs.getBoolean(2)).isTrue();
        }
        store.saveBacklogs(List.of(new ReportedBacklog("box-1", new org.campusedge.sync.wire.Backlog(java.util.Map.of("priority",
                new org.campusedge.sync.wire.Backlog.Stream(7, java.util.Optional.of(BOX_TIME)))), NOW)));
        assertThat(store.backlogs().get("box-1").backlog().totalEvents()).isEqualTo(7);
        store.ingest(batch("box-1", "priority", 8, 9), NOW);
        assertThat(store.count("box-1", "priority")).isEqualTo(9);
    }

    /** Rows as schema 1 and 2 kept them, one per event, with their room column, and the stream's mark. */
    private static void insertRows(Connection c, String device, List<WireEvent> events, Instant receivedAt) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (device, stream, seq, type, room, occurred_at, "
                + "received_at, payload) VALUES (?, 'priority', ?, ?, ?, ?, ?, ?)");
             PreparedStatement mark = c.prepareStatement("INSERT INTO stream_marks (device, stream, acked_seq, updated_at) "
                     + "VALUES (?, 'priority', ?, now()) ON CONFLICT (device, stream) DO UPDATE SET acked_seq = excluded.acked_seq")) {
            for (WireEvent e : events) {
                insert.setString(1, device);
                insert.setLong(2, e.seq());
                insert.setString(3, e.type());
                insert.setString(4, e.room());
                insert.setObject(5, java.time.OffsetDateTime.ofInstant(e.occurredAt(), java.time.ZoneOffset.UTC));
                insert.setObject(6, java.time.OffsetDateTime.ofInstant(receivedAt, java.time.ZoneOffset.UTC));
                insert.setString(7, e.payloadJson());
                insert.addBatch();
            }
            insert.executeBatch();
            mark.setString(1, device);
            mark.setLong(2, events.get(events.size() - 1).seq());
            mark.executeUpdate();
        }
    }
}
