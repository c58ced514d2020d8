package org.campusedge.agent.journal;

import org.campusedge.agent.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.config.StorageConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SensorAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Journal openJournal() {
        Journal j = Journal.open(new StorageConfig(dir.resolve("journal.db"), StorageConfig.Durability.NORMAL,
                Duration.ofMillis(1), 500), clock);
        open.add(j);
        return j;
    }

    static JournalEntry reading(Instant at, String room, String sensor, String metric, double value) {
        return new JournalEntry(EventType.SENSOR_READING, at, Optional.of(room), String.format(java.util.Locale.ROOT,
                "{\"room\":\"%s\",\"sensor\":\"%s\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"C\",\"topic\":\"t\"}",
                room, sensor, metric, value));
    }

    private static void appendAll(Journal j, List<JournalEntry> entries) {
        List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
        entries.forEach(e -> fs.add(j.append(e)));
        fs.forEach(CompletableFuture::join);
    }

    /** Aggregates by "room/sensor/metric@minute" from the AGGREGATES stream; fails on a duplicate key. */
    private static Map<String, JsonNode> aggregates(Journal j) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (var e : j.after("aggregates", 0, 100_000)) {
            JsonNode n = JSON.readTree(e.payloadJson());
            String key = n.get("room").asText() + "/" + n.get("sensor").asText() + "/" + n.get("metric").asText()
                    + "@" + n.get("minute").asText();
            assertThat(out.put(key, n)).as("aggregate %s written twice", key).isNull();
        }
        return out;
    }

    @Test
    void known_readings_give_known_min_max_avg_and_count_per_room_sensor_metric_and_minute() throws Exception {
        Journal j = openJournal();
        appendAll(j, List.of(
                reading(T0.plusSeconds(1), "studio-1", "s1", "temperature", 20.0),
                reading(T0.plusSeconds(20), "studio-1", "s1", "temperature", 22.0),
                reading(T0.plusSeconds(59), "studio-1", "s1", "temperature", 27.0),
                reading(T0.plusSeconds(30), "studio-1", "s1", "humidity", 40.0),
                reading(T0.plusSeconds(30), "lab-1", "s9", "temperature", -3.5),
                reading(T0.plusSeconds(60), "studio-1", "s1", "temperature", 99.0))); // next minute
        SensorAggregator agg = new SensorAggregator(j, clock, GRACE);

        clock.set(T0.plusSeconds(69));   // minute 0 closed, grace not yet over
        assertThat(agg.runPending()).isZero();
        clock.set(T0.plusSeconds(70));
        assertThat(agg.runPending()).isEqualTo(1);

        Map<String, JsonNode> a = aggregates(j);
        assertThat(a).containsOnlyKeys("studio-1/s1/temperature@2026-11-29T08:00:00Z",
                "studio-1/s1/humidity@2026-11-29T08:00:00Z", "lab-1/s9/temperature@2026-11-29T08:00:00Z");
        JsonNode t = a.get("studio-1/s1/temperature@2026-11-29T08:00:00Z");
        assertThat(t.get("min").asDouble()).isEqualTo(20.0);
        assertThat(t.get("max").asDouble()).isEqualTo(27.0);
        assertThat(t.get("avg").asDouble()).isEqualTo(23.0);
        assertThat(t.get("count").asLong()).isEqualTo(3);
        assertThat(t.get("unit").asText()).isEqualTo("C");
        assertThat(a.get("lab-1/s9/temperature@2026-11-29T08:00:00Z").get("avg").asDouble()).isEqualTo(-3.5);
        assertThat(j.query(new EventQuery(Optional.of(EventStream.AGGREGATES), Optional.empty(), Optional.empty(), Optional.empty(), 10))).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo("sensor.aggregate");
            assertThat(e.occurredAt()).isEqualTo(T0);
        });
        assertThat(agg.doneBefore()).isEqualTo(T0.plusSeconds(60));
        assertThat(agg.stats().readings()).isEqualTo(5);

        // A reading for minute 0 arriving now is late: kept raw, counted, in no aggregate.
        appendAll(j, List.of(reading(T0.plusSeconds(5), "studio-1", "s1", "temperature", -100)));
        clock.set(T0.plusSeconds(130));
        assertThat(agg.runPending()).isEqualTo(1);
        assertThat(agg.stats().lateReadings()).isEqualTo(1);
        assertThat(aggregates(j).get("studio-1/s1/temperature@2026-11-29T08:00:00Z").get("min").asDouble()).isEqualTo(20.0);
        assertThat(aggregates(j).get("studio-1/s1/temperature@2026-11-29T08:01:00Z").get("count").asLong()).isEqualTo(1);
    }

    @Test
    void a_journal_from_before_schema_4_resumes_aggregation_where_it_stopped() throws Exception {
        // Schema 3: readings in the time index, the aggregator's only mark the minute it is done before.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
             java.sql.Statement s = c.createStatement()) {
            JournalSchema.migrate(c, 3);
            long seq = 0;
            for (int sec = 0; sec < 180; sec += 10) { // minutes 0, 1 and 2; minute 0 already summarised
                seq++;
                s.execute(String.format(java.util.Locale.ROOT, "INSERT INTO events VALUES ('readings', %d, 'sensor.reading', %d, %d,"
                        + " 'lab', '{\"room\":\"lab\",\"sensor\":\"s1\",\"metric\":\"co2\",\"value\":%d,\"unit\":\"ppm\"}')",
                        seq, Micros.of(T0.plusSeconds(sec)), Micros.of(T0.plusSeconds(sec)), 400 + sec));
            }
            s.execute("UPDATE streams SET last_seq = " + seq + " WHERE stream = 'readings'");
            s.execute("INSERT INTO meta VALUES ('" + SensorAggregator.MARK_KEY + "', '" + Micros.of(T0.plusSeconds(60)) + "')");
        }
        Journal j = openJournal();
        assertThat(j.read(SensorAggregator::readFromSeq)).isEqualTo(7); // the first reading of minute 1
        SensorAggregator agg = new SensorAggregator(j, clock, GRACE);
        clock.set(T0.plusSeconds(200));
        assertThat(agg.runPending()).isEqualTo(2);

        Map<String, JsonNode> a = aggregates(j);
        assertThat(a).containsOnlyKeys("lab/s1/co2@" + T0.plusSeconds(60), "lab/s1/co2@" + T0.plusSeconds(120));
        assertThat(a.get("lab/s1/co2@" + T0.plusSeconds(60)).get("count").asLong()).isEqualTo(6);
        assertThat(a.get("lab/s1/co2@" + T0.plusSeconds(60)).get("min").asDouble()).isEqualTo(460);
        assertThat(a.get("lab/s1/co2@" + T0.plusSeconds(120)).get("max").asDouble()).isEqualTo(570);
        assertThat(j.read(SensorAggregator::readFromSeq)).isEqualTo(19); // nothing open: the next reading
    }

    @Test
    void readings_for_the_same_minute_from_replay_and_live_commits_add_up_once() throws Exception {
        Journal j = openJournal();
        appendAll(j, List.of(reading(T0.plusSeconds(1), "lab", "s1", "co2", 500)));
        SensorAggregator agg = new SensorAggregator(j, clock, GRACE); // replays the first
        appendAll(j, List.of(reading(T0.plusSeconds(2), "lab", "s1", "co2", 700))); // live
        clock.set(T0.plusSeconds(75));
        assertThat(agg.runPending()).isEqualTo(1);
        JsonNode n = aggregates(j).get("lab/s1/co2@" + T0);
        assertThat(n.get("count").asLong()).isEqualTo(2);
        assertThat(n.get("avg").asDouble()).isEqualTo(600);
    }

    @Test
    void restart_mid_minute_and_crash_without_close_summarise_each_minute_exactly_once() throws Exception {
        Journal first = openJournal();
        List<JournalEntry> readings = new ArrayList<>();
        for (int s = 0; s < 300; s += 7) { // five minutes, one sensor
            readings.add(reading(T0.plusSeconds(s), "studio-1", "s1", "co2", 400 + s));
        }
        appendAll(first, readings.subList(0, 20));
        SensorAggregator a1 = new SensorAggregator(first, clock, GRACE);
        clock.set(T0.plusSeconds(75));
        assertThat(a1.runPending()).isEqualTo(1);
        first.close();

        // Restart in the middle of minute 2.
        Journal second = openJournal();
        appendAll(second, readings.subList(20, 30));
        SensorAggregator a2 = new SensorAggregator(second, clock, GRACE);
        assertThat(a2.doneBefore()).isEqualTo(T0.plusSeconds(60));
        clock.set(T0.plusSeconds(150));
        assertThat(a2.runPending()).isEqualTo(1);
        // Crash: the journal is abandoned, never closed, and a new one opens the same file.
        Journal third = openJournal();
        appendAll(third, readings.subList(30, readings.size()));
        SensorAggregator a3 = new SensorAggregator(third, clock, GRACE);
        assertThat(a3.doneBefore()).isEqualTo(T0.plusSeconds(120));
        clock.set(T0.plusSeconds(400));
        assertThat(a3.runPending()).isEqualTo(3);
        assertThat(a3.runPending()).isZero();

        Map<String, JsonNode> a = aggregates(third);
        assertThat(a).hasSize(5);
        assertThat(a.values().stream().mapToLong(n -> n.get("count").asLong()).sum()).isEqualTo(readings.size());
        for (int m = 0; m < 5; m++) {
            int minute = m;
            List<Integer> expected = new ArrayList<>();
            for (int s = 0; s < 300; s += 7) {
                if (s / 60 == minute) {
                    expected.add(400 + s);
                }
            }
            JsonNode n = a.get("studio-1/s1/co2@" + T0.plusSeconds(60L * m));
            assertThat(n.get("count").asLong()).isEqualTo(expected.size());
            assertThat(n.get("min").asDouble()).isEqualTo((double) expected.get(0));
            assertThat(n.get("max").asDouble()).isEqualTo((double) expected.get(expected.size() - 1));
            assertThat(n.get("avg").asDouble()).isEqualTo(expected.stream().mapToInt(i -> i).average().orElseThrow());
        }
        assertThat(third.lastSeq("aggregates")).isEqualTo(5);
    }
}
