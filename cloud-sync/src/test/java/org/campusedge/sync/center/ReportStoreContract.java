package org.campusedge.sync.center;

import org.campusedge.sync.center.query.ReportPeriod;
import org.campusedge.sync.center.query.UsageReport;
import org.campusedge.sync.center.query.UsageRow;
import org.campusedge.sync.wire.IngestBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link EventStore} promises for city-wide queries and the usage report, run against
 * SQLite ({@link SqliteReportStoreTest}) and PostgreSQL ({@code PostgresReportStoreIT}): the same
 * {@link CampusTaps} give the same pages and the same figures on both.
 */
abstract class ReportStoreContract {

    static final Instant RECEIVED = Instant.parse("2026-09-20T12:00:00Z");
    static final DataCenterConfig.Queries SETTINGS = DataCenterConfig.Queries.of(CampusTaps.ZONE, List.of(
            new DataCenterConfig.Term("2026-autumn", LocalDate.parse("2026-09-01"), LocalDate.parse("2027-01-15"))));

    protected EventStore store;

    protected abstract void createDatabase() throws Exception;

    protected abstract EventStore openStore();

    protected abstract void dropDatabase() throws Exception;

    @BeforeEach
    void fill() throws Exception {
        createDatabase();
        store = openStore();
        for (IngestBatch b : new CampusTaps().batches()) {
            store.ingest(b, RECEIVED);
        }
    }

    @AfterEach
    void closeAndDrop() throws Exception {
        store.close();
        dropDatabase();
    }

    private static Instant at(String local) {
        return CampusTaps.at(local);
    }

    @Test
    void search_filters_by_type_room_device_and_time_in_time_order() {
        EventQuery.Page page = store.search(new EventQuery(Optional.empty(), Optional.of("studio-1"), Set.of("access.decision"),
                at("2026-09-07T00:00"), at("2026-09-08T00:00"), Optional.empty(), 100));

        assertThat(page.events()).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(page.next()).isEmpty();
        assertThat(store.search(new EventQuery(Optional.of(Set.of(CampusTaps.BOX_B)), Optional.empty(), Set.of(),
                at("2026-09-01T00:00"), at("2026-10-01T00:00"), Optional.empty(), 100)).events())
                .extracting(e -> e.deviceId() + "/" + e.seq()).containsExactly("box-b/1", "box-b/2", "box-b/3", "box-b/4");
        assertThat(store.search(EventQuery.of(Set.of("room.occupancy_reset"), at("2026-09-01T00:00"), at("2026-10-01T00:00"), 10))
                .events()).singleElement().satisfies(e -> assertThat(e.occurredAt()).isEqualTo(at("2026-09-07T22:00:05")));
        assertThat(store.search(EventQuery.of(Set.of(), at("2026-09-07T09:00"), at("2026-09-07T09:10"), 10)).events())
                .as("from is inclusive, to exclusive").extracting(StoredEvent::seq).containsExactly(1L);
    }

    @Test
    void pages_follow_each_other_without_gaps_or_repeats_across_devices() {
        List<String> all = new ArrayList<>();
        EventQuery q = EventQuery.of(Set.of(), at("2026-09-01T00:00"), at("2026-10-01T00:00"), 4);
        int pages = 0;
        while (true) {
            EventQuery.Page page = store.search(q);
            pages++;
            page.events().forEach(e -> all.add(e.deviceId() + "/" + e.seq()));
            if (page.next().isEmpty()) {
                break;
            }
            q = q.after(page.next().get());
        }

        assertThat(all).hasSize(15).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(4);
        assertThat(all.subList(0, 8)).containsExactly("box-a/1", "box-a/2", "box-a/3", "box-a/4", "box-a/5", "box-a/6",
                "box-a/7", "box-b/1");
    }

    /**
     * Random events (devices whose names sort differently by byte and by dictionary, two
     * streams, batches of 1 to 700, box clocks that tie across devices and jump back by months)
     * searched with random filters and page sizes: the pages, followed to the end, are exactly
     * what a plain filter and sort of the events gives, each page full but the last.
     */
    @Test
    void random_searches_page_through_exactly_the_matching_events_in_order() throws Exception {
        java.util.Random random = new java.util.Random(20261129L);
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        List<String> devices = List.of("rand-B", "rand-Z", "rand-a", "rand-b-2", "rand-b");
        List<String> types = List.of("access.decision", "sensor.reading", "alarm.raised");
        List<StoredEvent> all = new ArrayList<>();
        for (String device : devices) {
            for (String stream : List.of("priority", "bulk")) {
                long seq = 1;
                long clock = random.nextInt(600);
                for (int batch = 0; batch < 6; batch++) {
                    int size = 1 + random.nextInt(batch == 0 ? 700 : 120);
                    List<org.campusedge.sync.wire.WireEvent> events = new ArrayList<>();
                    for (int i = 0; i < size; i++, seq++) {
                        clock += random.nextInt(4); // whole seconds: ties across devices and streams
                        Instant at = random.nextInt(50) == 0 ? base.minus(java.time.Duration.ofDays(180)).plusSeconds(clock)
                                : base.plusSeconds(clock);
                        int room = random.nextInt(5);
                        String payload = room == 4 ? "{\"n\":" + seq + "}" : "{\"room\":\"r" + room + "\",\"n\":" + seq + "}";
                        events.add(new org.campusedge.sync.wire.WireEvent(seq, types.get(random.nextInt(types.size())), at, payload));
                        all.add(new StoredEvent(device, stream, seq, events.get(i).type(), at, RECEIVED, payload));
                    }
                    store.ingest(IngestBatch.of(device, stream, events), RECEIVED);
                }
            }
        }
        java.util.Comparator<StoredEvent> order = java.util.Comparator.comparing(StoredEvent::occurredAt)
                .thenComparing(e -> e.deviceId().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned)
                .thenComparing(e -> e.stream().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned)
                .thenComparingLong(StoredEvent::seq);
        for (int trial = 0; trial < 40; trial++) {
            Optional<Set<String>> onDevices = random.nextBoolean() ? Optional.empty()
                    : Optional.of(Set.copyOf(devices.subList(random.nextInt(3), 3 + random.nextInt(3))));
            Optional<String> room = random.nextInt(3) == 0 ? Optional.of("r" + random.nextInt(4)) : Optional.empty();
            Set<String> ofTypes = random.nextInt(3) == 0 ? Set.of(types.get(random.nextInt(3))) : Set.of();
            Instant from = random.nextInt(4) == 0 ? base.minus(java.time.Duration.ofDays(181)) : base.plusSeconds(random.nextInt(900));
            Instant to = base.plusSeconds(300 + random.nextInt(2_000));
            if (to.isBefore(from)) {
                to = from;
            }
            int limit = 1 + random.nextInt(random.nextBoolean() ? 20 : 400);
            Instant f = from;
            Instant t = to;
            List<String> expected = all.stream()
                    .filter(e -> onDevices.map(d -> d.contains(e.deviceId())).orElse(true))
                    .filter(e -> room.map(r -> e.payloadJson().contains("\"room\":\"" + r + "\"")).orElse(true))
                    .filter(e -> ofTypes.isEmpty() || ofTypes.contains(e.type()))
                    .filter(e -> !e.occurredAt().isBefore(f) && e.occurredAt().isBefore(t))
                    .sorted(order).map(ReportStoreContract::key).toList();
            EventQuery q = new EventQuery(onDevices, room, ofTypes, from, to, Optional.empty(), limit);
            List<String> found = new ArrayList<>();
            for (int pages = 0; ; pages++) {
                assertThat(pages).as("pages of trial %d", trial).isLessThanOrEqualTo(expected.size() / limit + 1);
                EventQuery.Page page = store.search(q);
                page.events().forEach(e -> found.add(key(e)));
                if (page.next().isEmpty()) {
                    assertThat(page.events().size()).as("the last page of trial %d is not full", trial).isLessThan(limit);
                    break;
                }
                assertThat(page.events()).as("a page of trial %d with more after it is full", trial).hasSize(limit);
                q = q.after(page.next().get());
            }
            assertThat(found).as("trial %d: %s", trial, q).containsExactlyElementsOf(expected);
        }
    }

    private static String key(StoredEvent e) {
        return e.deviceId() + "/" + e.stream() + "/" + e.seq() + "@" + e.occurredAt() + "/" + e.type() + "/" + e.payloadJson();
    }

    @Test
    void a_search_of_no_devices_finds_nothing() {
        assertThat(store.search(new EventQuery(Optional.of(Set.of()), Optional.empty(), Set.of(), at("2026-09-01T00:00"),
                at("2026-10-01T00:00"), Optional.empty(), 10)).events()).isEmpty();
    }

    @Test
    void weekly_usage_counts_sessions_students_and_hours_per_school_and_room_type() {
        UsageReport.Result r = new UsageReport(store, SETTINGS).compute(CampusTaps.schools(), Optional.empty(), ReportPeriod.WEEK,
                LocalDate.parse("2026-09-07"), LocalDate.parse("2026-09-20"));

        assertThat(r.rows()).containsExactly(
                new UsageRow("2026-W37", "2026-09-07", "2026-09-13", CampusTaps.HILLCREST, "recording-studio", 1, 1, 1, 0.5, 1),
                new UsageRow("2026-W37", "2026-09-07", "2026-09-13", CampusTaps.HILLCREST, "unknown", 1, 1, 1, 0.25, 1),
                new UsageRow("2026-W37", "2026-09-07", "2026-09-13", CampusTaps.RIVERSIDE, "recording-studio", 1, 2, 3, 9.5, 3),
                new UsageRow("2026-W37", "2026-09-07", "2026-09-13", "ALL", "recording-studio", 2, 3, 4, 10.0, 4),
                new UsageRow("2026-W37", "2026-09-07", "2026-09-13", "ALL", "unknown", 1, 1, 1, 0.25, 1),
                new UsageRow("2026-W38", "2026-09-14", "2026-09-20", CampusTaps.RIVERSIDE, "recording-studio", 1, 2, 3, 1.5, 3),
                new UsageRow("2026-W38", "2026-09-14", "2026-09-20", "ALL", "recording-studio", 1, 2, 3, 1.5, 3));
        assertThat(r.openSessions()).isEqualTo(1);
        assertThat(r.unreadable()).isZero();
    }

    @Test
    void monthly_and_term_usage_and_one_school_only() {
        UsageReport report = new UsageReport(store, SETTINGS);
        UsageRow riversideMonth = new UsageRow("2026-09", "2026-09-01", "2026-09-30", CampusTaps.RIVERSIDE, "recording-studio",
                1, 4, 6, 11.0, 6);

        assertThat(report.compute(CampusTaps.schools(), Optional.of(Set.of(CampusTaps.BOX_A)), ReportPeriod.MONTH,
                LocalDate.parse("2026-09-01"), LocalDate.parse("2026-09-30")).rows())
                .containsExactly(riversideMonth, new UsageRow("2026-09", "2026-09-01", "2026-09-30", "ALL", "recording-studio",
                        1, 4, 6, 11.0, 6));
        assertThat(report.compute(CampusTaps.schools(), Optional.empty(), ReportPeriod.TERM, LocalDate.parse("2026-09-01"),
                LocalDate.parse("2027-01-15")).rows()).filteredOn(row -> row.school().equals("ALL"))
                .containsExactly(new UsageRow("2026-autumn", "2026-09-01", "2027-01-15", "ALL", "recording-studio", 2, 5, 7, 11.5, 7),
                        new UsageRow("2026-autumn", "2026-09-01", "2027-01-15", "ALL", "unknown", 1, 1, 1, 0.25, 1));
    }

    @Test
    void a_range_counts_only_sessions_starting_in_it_and_sees_rooms_already_occupied() {
        UsageReport.Result r = new UsageReport(store, SETTINGS).compute(CampusTaps.schools(), Optional.of(Set.of(CampusTaps.BOX_A)),
                ReportPeriod.MONTH, LocalDate.parse("2026-09-08"), LocalDate.parse("2026-09-15"));

        assertThat(r.rows()).filteredOn(row -> !row.school().equals("ALL")).containsExactly(
                new UsageRow("2026-09", "2026-09-01", "2026-09-30", CampusTaps.RIVERSIDE, "recording-studio", 1, 1, 1, 1.0, 1));
    }
}
