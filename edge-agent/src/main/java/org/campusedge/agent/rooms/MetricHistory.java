package org.campusedge.agent.rooms;

import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.Micros;
import org.campusedge.agent.rooms.RoomView.MetricState;
import org.campusedge.agent.rooms.RoomView.Minute;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A room's metrics over the last hour, day or week, in buckets of min, max, average and count,
 * for the dashboard's charts.
 *
 * <p>Closed minutes come from the journal's {@code sensor.aggregate} events (one per sensor,
 * metric and minute; kept for {@code storage.retention.aggregates}, at least a week), folded
 * into buckets by SQLite itself, so the answer is at most one row per series and bucket
 * whatever the range. The minutes the aggregator has not summarised yet (the open one, and
 * those within its grace) come from the live room state's per-minute history instead; the
 * aggregator's mark says where one source ends and the other begins, so no minute is counted
 * twice.
 *
 * <p>The query walks the partial room index ({@code events_by_room}: room, time; readings are
 * not in it), reading only the room's events in the range. Thread-safe: reads take the
 * journal's read lock and a copy of the room's view.
 */
public final class MetricHistory {

    /** Most series (sensor and metric pairs) in one answer; past it the answer says it is truncated. */
    public static final int MAX_SERIES = 64;
    /**
     * Most aggregates read for one answer (a week of about 20 series): bounds the work however
     * many sensors a room has; past it the oldest are left out and the answer says it is truncated.
     */
    public static final int MAX_AGGREGATES = 200_000;

    /** How far back, and in which buckets. */
    public enum Range {
        HOUR("hour", Duration.ofHours(1), Duration.ofMinutes(1)),
        DAY("day", Duration.ofDays(1), Duration.ofMinutes(15)),
        WEEK("week", Duration.ofDays(7), Duration.ofHours(1));

        private final String wireName;
        private final Duration span;
        private final Duration bucket;

        Range(String wireName, Duration span, Duration bucket) {
            this.wireName = wireName;
            this.span = span;
            this.bucket = bucket;
        }

        public String wireName() {
            return wireName;
        }

        public Duration span() {
            return span;
        }

        public Duration bucket() {
            return bucket;
        }

        public static Optional<Range> fromWireName(String s) {
            for (Range r : values()) {
                if (r.wireName.equals(s.toLowerCase(Locale.ROOT))) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** One bucket: readings from {@code start} for the bucket's length. */
    public record Bucket(Instant start, double min, double max, double avg, long count) {
    }

    /** One sensor metric's buckets, oldest first; buckets without readings are left out. */
    public record Series(String sensor, String metric, String unit, List<Bucket> buckets) {
        public Series {
            buckets = List.copyOf(buckets);
        }
    }

    /**
     * The answer.
     *
     * @param from          start of the first bucket (a multiple of the bucket length since the epoch)
     * @param to            the time asked about (now)
     * @param bucketSeconds length of each bucket
     * @param truncated     true if there were more than {@value #MAX_SERIES} series, or more than
     *                      {@value #MAX_AGGREGATES} aggregates in the range (the oldest are then left out)
     */
    public record History(String room, String range, Instant from, Instant to, long bucketSeconds,
                          List<Series> series, boolean truncated) {
        public History {
            series = List.copyOf(series);
        }
    }

    private final Journal journal;
    private final RoomsState state;
    private final Supplier<Instant> aggregatedBefore;

    /**
     * @param aggregatedBefore every minute before this instant is in the journal's aggregates
     *                         (the {@link org.campusedge.agent.journal.SensorAggregator}'s mark)
     */
    public MetricHistory(Journal journal, RoomsState state, Supplier<Instant> aggregatedBefore) {
        this.journal = journal;
        this.state = state;
        this.aggregatedBefore = aggregatedBefore;
    }

    /**
     * The history of {@code room} over {@code range} up to {@code now}, optionally of one sensor
     * and/or one metric; empty if there is no such room.
     */
    public Optional<History> of(String roomId, Range range, Instant now, Optional<String> sensor, Optional<String> metric) {
        Optional<RoomView> room = state.view(roomId);
        if (room.isEmpty()) {
            return Optional.empty();
        }
        long bucketUs = range.bucket().toNanos() / 1_000;
        long toUs = Micros.of(now);
        long fromUs = Math.floorDiv(toUs - range.span().toNanos() / 1_000, bucketUs) * bucketUs;
        // The aggregator's mark, read before the room view: the view keeps its last minutes whether
        // they are aggregated or not, so a minute closed after this read still comes from memory.
        long splitUs = Math.min(Micros.of(aggregatedBefore.get()), toUs + 1);
        Map<String, SeriesSums> series = new TreeMap<>();
        boolean capped = fromJournal(roomId, fromUs, Math.max(fromUs, splitUs), bucketUs, sensor, metric, series);
        fromMemory(state.view(roomId).orElse(room.get()), Math.max(fromUs, splitUs), toUs, bucketUs, sensor, metric, series);
        List<Series> out = new ArrayList<>();
        for (SeriesSums s : series.values()) {
            if (out.size() == MAX_SERIES) {
                break;
            }
            out.add(s.series());
        }
        return Optional.of(new History(roomId, range.wireName(), Micros.toInstant(fromUs), now, range.bucket().toSeconds(), out,
                capped || series.size() > MAX_SERIES));
    }

    /**
     * Buckets of the room's aggregates in [{@code fromUs}, {@code toUs}), summed by SQLite in one
     * pass over the room index; true if it stopped at {@value #MAX_AGGREGATES}.
     */
    private boolean fromJournal(String room, long fromUs, long toUs, long bucketUs, Optional<String> sensor,
                             Optional<String> metric, Map<String, SeriesSums> series) {
        if (toUs <= fromUs) {
            return false;
        }
        String sql = sql(sensor.isPresent(), metric.isPresent());
        long read = journal.read(c -> {
            long rows = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, bucketUs);
                ps.setString(i++, room);
                ps.setLong(i++, fromUs);
                ps.setLong(i++, toUs);
                ps.setString(i++, EventStream.AGGREGATES.wireName());
                ps.setString(i++, EventType.SENSOR_AGGREGATE.wireName());
                if (sensor.isPresent()) {
                    ps.setString(i++, sensor.get());
                }
                if (metric.isPresent()) {
                    ps.setString(i++, metric.get());
                }
                ps.setInt(i, MAX_AGGREGATES);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows += rs.getLong(9);
                        String s = rs.getString(1);
                        String m = rs.getString(2);
                        if (s == null || m == null || rs.getLong(8) <= 0) {
                            continue;
                        }
                        series.computeIfAbsent(s + '\u0000' + m, k -> new SeriesSums(s, m))
                                .add(rs.getLong(3) * bucketUs, rs.getString(4), rs.getDouble(5), rs.getDouble(6),
                                        rs.getDouble(7), rs.getLong(8));
                    }
                }
            }
            return rows;
        });
        return read >= MAX_AGGREGATES;
    }

    /**
     * The aggregates query: parameters bucket length, room, from, to, stream, type, sensor and
     * metric if asked, then the most rows to read. The room index is partial (no raw readings),
     * so the query carries its condition literally; "+stream" keeps the planner off the primary
     * key, which would walk every aggregate of every room. The inner query walks the index
     * newest first, so a capped answer lacks the oldest buckets, not the latest.
     */
    static String sql(boolean bySensor, boolean byMetric) {
        StringBuilder sql = new StringBuilder("""
                SELECT json_extract(payload, '$.sensor') AS s, json_extract(payload, '$.metric') AS m,
                       occurred_us / ? AS b, MAX(json_extract(payload, '$.unit')),
                       MIN(json_extract(payload, '$.min')), MAX(json_extract(payload, '$.max')),
                       SUM(json_extract(payload, '$.avg') * json_extract(payload, '$.count')),
                       SUM(json_extract(payload, '$.count')), COUNT(*)
                FROM (SELECT occurred_us, payload FROM events
                      WHERE room = ? AND occurred_us >= ? AND occurred_us < ? AND\s""")
                .append(Journal.NOT_READINGS).append(" AND +stream = ? AND type = ?");
        if (bySensor) {
            sql.append(" AND json_extract(payload, '$.sensor') = ?");
        }
        if (byMetric) {
            sql.append(" AND json_extract(payload, '$.metric') = ?");
        }
        return sql.append(" ORDER BY occurred_us DESC LIMIT ?) GROUP BY s, m, b ORDER BY s, m, b").toString();
    }

    /** Adds the minutes of the live room state in [{@code fromUs}, {@code toUs}]: those not aggregated yet. */
    private static void fromMemory(RoomView room, long fromUs, long toUs, long bucketUs, Optional<String> sensor,
                                   Optional<String> metric, Map<String, SeriesSums> series) {
        for (MetricState m : room.metrics()) {
            if (sensor.isPresent() && !sensor.get().equals(m.sensor()) || metric.isPresent() && !metric.get().equals(m.metric())) {
                continue;
            }
            for (Minute minute : m.minutes()) {
                long us = Micros.of(minute.minute());
                if (us < fromUs || us > toUs || minute.count() == 0) {
                    continue;
                }
                series.computeIfAbsent(m.sensor() + '\u0000' + m.metric(), k -> new SeriesSums(m.sensor(), m.metric()))
                        .add(Math.floorDiv(us, bucketUs) * bucketUs, m.unit(), minute.min(), minute.max(), minute.sum(),
                                minute.count());
            }
        }
    }

    /** Running sums of one series' buckets, by bucket start. */
    private static final class SeriesSums {
        final String sensor;
        final String metric;
        String unit;
        final TreeMap<Long, double[]> buckets = new TreeMap<>();

        SeriesSums(String sensor, String metric) {
            this.sensor = sensor;
            this.metric = metric;
        }

        /** Adds min, max, sum and count to the bucket starting at {@code startUs}. */
        void add(long startUs, String unit, double min, double max, double sum, long count) {
            if (unit != null) {
                this.unit = unit;
            }
            double[] b = buckets.get(startUs);
            if (b == null) {
                buckets.put(startUs, new double[] {min, max, sum, count});
            } else {
                b[0] = Math.min(b[0], min);
                b[1] = Math.max(b[1], max);
                b[2] += sum;
                b[3] += count;
            }
        }

        Series series() {
            List<Bucket> out = new ArrayList<>(buckets.size());
            buckets.forEach((start, b) -> out.add(new Bucket(Micros.toInstant(start), b[0], b[1], b[2] / b[3], (long) b[3])));
            return new Series(sensor, metric, unit, out);
        }
    }

}
