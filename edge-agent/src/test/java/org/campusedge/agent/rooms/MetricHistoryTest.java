package org.campusedge.agent.rooms;

import org.campusedge.agent.TestClock;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.agent.journal.ScratchJournal;
import org.campusedge.agent.journal.SensorAggregator;
import org.campusedge.agent.rooms.MetricHistory.Bucket;
import org.campusedge.agent.rooms.MetricHistory.History;
import org.campusedge.agent.rooms.MetricHistory.Range;
import org.campusedge.agent.rooms.MetricHistory.Series;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Room history over a real journal: per-minute aggregates written by the real aggregator (or, for
 * a week of them, appended in bulk in the aggregator's format) folded into buckets, the minutes
 * not aggregated yet taken from the live room state, and the query on the room index.
 */
class MetricHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();
    private final TestClock clock = new TestClock(T0);
    private final List<AutoCloseable> open = new ArrayList<>();
    private final RoomsState state = RoomEvents.newState();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Journal openJournal() {
        Journal j = scratch.open(clock, Duration.ofMillis(1), 2_000);
        j.onCommit(state::apply); // as LiveRooms does
        return j;
    }

    private static JournalEntry reading(Instant at, String sensor, String metric, double value) {
        return new JournalEntry(EventType.SENSOR_READING, at, Optional.of("maker-1"), String.format(Locale.ROOT,
                "{\"room\":\"maker-1\",\"sensor\":\"%s\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"C\",\"topic\":\"t\"}",
                sensor, metric, value));
    }

    /** An aggregate as {@link SensorAggregator} writes it (checked against the real one in the hour test). */
    private static JournalEntry aggregate(Instant minute, String room, String sensor, String metric, double min, double max,
                                          double avg, long count) {
        return new JournalEntry(EventType.SENSOR_AGGREGATE, minute, Optional.of(room), EventJson.write(RoomEvents.map(
                "room", room, "sensor", sensor, "metric", metric, "unit", "%", "minute", minute.toString(),
                "min", min, "max", max, "avg", avg, "count", count)));
    }

    private static void appendAll(Journal j, List<JournalEntry> entries) {
        for (int i = 0; i < entries.size(); i += 5_000) {
            j.appendAll(entries.subList(i, Math.min(entries.size(), i + 5_000))).join();
        }
    }

    private static Series series(History h, String metric) {
        return h.series().stream().filter(s -> s.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void the_hour_is_per_minute_from_the_aggregates_and_the_minutes_not_aggregated_yet_each_counted_once() {
        Journal j = openJournal();
        List<JournalEntry> readings = new ArrayList<>();
        for (int minute = 0; minute < 5; minute++) {
            Instant m = T0.plus(Duration.ofMinutes(minute));
            readings.add(reading(m.plusSeconds(10), "env-1", "temperature", 20 + minute));
            readings.add(reading(m.plusSeconds(40), "env-1", "temperature", 21 + minute));
        }
        List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
        readings.forEach(r -> fs.add(j.append(r)));
        fs.forEach(CompletableFuture::join);
        SensorAggregator aggregator = new SensorAggregator(j, clock, Duration.ofSeconds(10));
        open.add(aggregator);
        clock.set(T0.plus(Duration.ofMinutes(3)).plusSeconds(10));
        assertThat(aggregator.runPending()).as("minutes 0-2 closed").isEqualTo(3);

        MetricHistory history = new MetricHistory(j, state, aggregator::doneBefore);
        Instant now = T0.plus(Duration.ofMinutes(4)).plusSeconds(50);
        History h = history.of("maker-1", Range.HOUR, now, Optional.empty(), Optional.empty()).orElseThrow();
        assertThat(h.bucketSeconds()).isEqualTo(60);
        assertThat(h.from()).isEqualTo(Instant.parse("2026-11-29T07:04:00Z"));
        assertThat(h.to()).isEqualTo(now);
        Series t = series(h, "temperature");
        assertThat(t.sensor()).isEqualTo("env-1");
        assertThat(t.unit()).isEqualTo("C");
        assertThat(t.buckets()).extracting(Bucket::start).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120),
                T0.plusSeconds(180), T0.plusSeconds(240));
        for (int minute = 0; minute < 5; minute++) {
            Bucket b = t.buckets().get(minute);
            assertThat(b.count()).as("minute %d: two readings, counted once", minute).isEqualTo(2);
            assertThat(b.min()).isEqualTo(20.0 + minute);
            assertThat(b.max()).isEqualTo(21.0 + minute);
            assertThat(b.avg()).isEqualTo(20.5 + minute);
        }
        assertThat(history.of("no-such-room", Range.HOUR, now, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void a_day_is_in_quarter_hours_a_week_in_hours_and_a_filter_keeps_one_metric() throws Exception {
        Journal j = openJournal();
        Instant now = T0.plus(Duration.ofDays(7));
        List<JournalEntry> week = new ArrayList<>();
        for (Instant m = T0; m.isBefore(now); m = m.plusSeconds(60)) {
            long i = Duration.between(T0, m).toMinutes();
            double v = i % 60; // each hour climbs 0..59
            week.add(aggregate(m, "maker-1", "env-1", "humidity", v - 1, v + 1, v, 4));
            week.add(aggregate(m, "maker-1", "env-1", "co2", 400, 800, 600, 2));
            week.add(aggregate(m, "studio-1", "desk", "co2", 1, 1, 1, 1)); // another room: not in maker-1's history
        }
        appendAll(j, week);
        MetricHistory history = new MetricHistory(j, state, () -> now);

        History w = null;
        double bestMs = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            w = history.of("maker-1", Range.WEEK, now, Optional.empty(), Optional.empty()).orElseThrow();
            bestMs = Math.min(bestMs, (System.nanoTime() - t0) / 1e6);
        }
        System.out.printf(Locale.ROOT, "MetricHistoryTest: a week of 2 metrics (%d aggregates of %d in the journal), best of 3: %.1f ms%n",
                2 * 7 * 24 * 60, week.size(), bestMs);
        assertThat(w.bucketSeconds()).isEqualTo(3600);
        assertThat(w.truncated()).isFalse();
        assertThat(w.series()).extracting(Series::metric).containsExactly("co2", "humidity");
        Series humidity = series(w, "humidity");
        assertThat(humidity.buckets()).hasSize(7 * 24);
        assertThat(humidity.buckets()).allSatisfy(b -> {
            assertThat(b.count()).isEqualTo(60 * 4);
            assertThat(b.min()).isEqualTo(-1.0);
            assertThat(b.max()).isEqualTo(60.0);
            assertThat(b.avg()).isCloseTo(29.5, within(1e-9));
        });
        assertThat(series(w, "co2").buckets()).allSatisfy(b -> assertThat(b.avg()).isCloseTo(600, within(1e-9)));

        History d = history.of("maker-1", Range.DAY, now, Optional.empty(), Optional.of("humidity")).orElseThrow();
        assertThat(d.bucketSeconds()).isEqualTo(900);
        assertThat(d.from()).isEqualTo(now.minus(Duration.ofDays(1)));
        assertThat(d.series()).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("humidity");
            assertThat(s.buckets()).hasSize(96);
            // 08:00-08:15 holds minutes 0..14 of the hour: values 0..14, min -1, max 15.
            Bucket first = s.buckets().get(0);
            assertThat(first.start()).isEqualTo(now.minus(Duration.ofDays(1)));
            assertThat(first.count()).isEqualTo(15 * 4);
            assertThat(first.min()).isEqualTo(-1.0);
            assertThat(first.max()).isEqualTo(15.0);
            assertThat(first.avg()).isCloseTo(7.0, within(1e-9));
        });
        assertThat(history.of("maker-1", Range.DAY, now, Optional.of("other-sensor"), Optional.empty()).orElseThrow().series())
                .isEmpty();
    }

    @Test
    void the_aggregates_query_walks_the_partial_room_index() {
        Journal j = openJournal();
        String plan = j.read(c -> {
            StringBuilder out = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + MetricHistory.sql(true, true))) {
                ps.setLong(1, 60_000_000L);
                ps.setString(2, "maker-1");
                ps.setLong(3, 0);
                ps.setLong(4, Long.MAX_VALUE);
                ps.setString(5, "aggregates");
                ps.setString(6, "sensor.aggregate");
                ps.setString(7, "env-1");
                ps.setString(8, "co2");
                ps.setInt(9, MetricHistory.MAX_AGGREGATES);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString("detail")).append('\n');
                    }
                }
            }
            return out.toString();
        });
        assertThat(plan).as(plan).contains("USING INDEX events_by_room (room=? AND occurred_us>? AND occurred_us<?)")
                .as("the index gives the newest-first order: no sort before the cap").doesNotContain("FOR ORDER BY");
    }

    @Test
    void ranges_by_wire_name() {
        assertThat(Range.fromWireName("week")).hasValue(Range.WEEK);
        assertThat(Range.fromWireName("DAY")).hasValue(Range.DAY);
        assertThat(Range.fromWireName("month")).isEmpty();
    }
}
