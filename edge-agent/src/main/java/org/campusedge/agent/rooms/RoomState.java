package org.campusedge.agent.rooms;

import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.rooms.RoomView.ActiveAlarm;
import org.campusedge.agent.rooms.RoomView.Door;
import org.campusedge.agent.rooms.RoomView.Equipment;
import org.campusedge.agent.rooms.RoomView.MetricState;
import org.campusedge.agent.rooms.RoomView.Minute;
import org.campusedge.agent.rooms.RoomView.Occupant;
import org.campusedge.agent.rooms.RoomView.OnAir;
import org.campusedge.agent.rooms.RoomView.ReaderLive;
import org.campusedge.agent.rooms.RoomView.SensorLive;
import org.campusedge.agent.rooms.RoomView.Tap;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mutable state of one room. Not thread-safe: owned by {@link RoomsState}, which guards it
 * with its lock. Every change comes from a journaled event, with the event's own time.
 */
final class RoomState {

    private static final String ON_AIR = "on-air";
    private static final String DOOR = "door";
    private static final String POWER = "power";

    private final RoomConfig config;
    private final double standbyWatts;
    private final Map<String, Occupant> occupants = new LinkedHashMap<>();
    private Instant lastReset;
    /** Keyed by sensor and metric; sorted so views list them in a stable order. */
    private final Map<String, MetricCell> metrics = new TreeMap<>();
    /**
     * The same cells by sensor, then metric: what each reading looks up, tens of thousands of
     * times a second, with no key built and no sorted walk.
     */
    private final Map<String, Map<String, MetricCell>> cells = new HashMap<>();
    private final Map<String, ActiveAlarm> alarms = new TreeMap<>();
    private final Map<String, ReaderCell> readers = new TreeMap<>();
    private final Map<String, SensorLive> sensors = new TreeMap<>();

    RoomState(RoomConfig config, List<String> readerIds, double standbyWatts) {
        this.config = config;
        this.standbyWatts = standbyWatts;
        readerIds.forEach(r -> readers.put(r, new ReaderCell()));
    }

    String id() {
        return config.id();
    }

    // ---- occupancy ----

    int occupantCount() {
        return occupants.size();
    }

    boolean inside(String card) {
        return occupants.containsKey(card);
    }

    /** The cards inside now, as an immutable set. */
    java.util.Set<String> cards() {
        return java.util.Set.copyOf(occupants.keySet());
    }

    void enter(String card, String person, Instant at, String reader) {
        occupants.putIfAbsent(card, new Occupant(card, person, at, reader));
    }

    void leave(String card) {
        occupants.remove(card);
    }

    /** Clears everyone who entered before {@code before}; returns how many. */
    int reset(Instant before, Instant at) {
        int cleared = 0;
        for (Iterator<Occupant> it = occupants.values().iterator(); it.hasNext(); ) {
            if (it.next().since().isBefore(before)) {
                it.remove();
                cleared++;
            }
        }
        lastReset = at;
        return cleared;
    }

    /** The earliest time someone still inside entered, if anyone is. */
    Instant earliestEntry() {
        return occupants.values().stream().map(Occupant::since).min(Instant::compareTo).orElse(null);
    }

    // ---- readers ----

    void tap(String reader, Tap tap) {
        readers.computeIfAbsent(reader, r -> new ReaderCell()).lastTap = tap;
    }

    void readerStatus(String reader, String state, Instant at) {
        ReaderCell cell = readers.computeIfAbsent(reader, r -> new ReaderCell());
        if (!state.equals(cell.state)) {
            cell.state = state;
            cell.since = at;
        }
    }

    void readerAlert(String reader, String kind, boolean active) {
        ReaderCell cell = readers.computeIfAbsent(reader, r -> new ReaderCell());
        if (active) {
            cell.alerts.add(kind);
        } else {
            cell.alerts.remove(kind);
        }
    }

    // ---- sensors ----

    void reading(String sensor, String metric, String unit, double value, Instant at) {
        MetricCell cell = cell(sensor, metric);
        cell.update(unit, value, at, onOff(metric, value));
        sensors.compute(sensor, (id, s) -> new SensorLive(id, s == null ? null : s.online(), s == null ? null : s.availabilityAt(), at));
    }

    private MetricCell cell(String sensor, String metric) {
        Map<String, MetricCell> bySensor = cells.computeIfAbsent(sensor, k -> new HashMap<>());
        MetricCell cell = bySensor.get(metric);
        if (cell == null) {
            cell = new MetricCell(sensor, metric);
            bySensor.put(metric, cell);
            metrics.put(sensor + '\u0000' + metric, cell);
        }
        return cell;
    }

    void availability(String sensor, boolean online, Instant at) {
        SensorLive s = sensors.get(sensor);
        sensors.put(sensor, new SensorLive(sensor, online, at, s == null ? null : s.lastSeen()));
    }

    /** For on/off metrics, whether this value means "on"; null for continuous metrics. */
    private Boolean onOff(String metric, double value) {
        if (metric.equals(POWER)) {
            return value > standbyWatts;
        }
        if (metric.equals(ON_AIR) || metric.equals(DOOR) || metric.equals("occupancy")) {
            return value >= 0.5;
        }
        return null;
    }

    // ---- alarms ----

    void raise(ActiveAlarm alarm) {
        alarms.put(alarm.id(), alarm);
    }

    void clear(String alarmId) {
        alarms.remove(alarmId);
    }

    boolean hasAlarm(String alarmId) {
        return alarms.containsKey(alarmId);
    }

    /**
     * Marks the active alarm {@code alarmId} acknowledged, if it is the one raised at
     * {@code raisedAt} (an acknowledgement never carries over to a later raise of the same id)
     * and nobody acknowledged it before (the first acknowledgement stands). True if it changed.
     */
    boolean acknowledge(String alarmId, Instant raisedAt, RoomView.Acknowledgement ack) {
        ActiveAlarm a = alarms.get(alarmId);
        if (a == null || a.acknowledged() != null || !a.since().equals(raisedAt)) {
            return false;
        }
        alarms.put(alarmId, a.acknowledge(ack));
        return true;
    }

    // ---- views and snapshots ----

    RoomView view() {
        List<MetricState> metricViews = new ArrayList<>(metrics.size());
        OnAir onAir = null;
        List<Equipment> equipment = new ArrayList<>();
        List<Door> doors = new ArrayList<>();
        for (MetricCell c : metrics.values()) {
            MetricState m = c.view();
            metricViews.add(m);
            switch (c.metric) {
                case ON_AIR -> {
                    boolean on = c.on;
                    // On if any on-air sensor is on; the one on longest names the state.
                    if (onAir == null || (on && !onAir.on())) {
                        onAir = new OnAir(on, c.changedAt, c.sensor);
                    }
                }
                case POWER -> equipment.add(new Equipment(c.sensor, c.on, c.value, c.changedAt));
                case DOOR -> doors.add(new Door(c.sensor, c.on, c.changedAt));
                default -> {
                }
            }
        }
        List<ReaderLive> readerViews = new ArrayList<>(readers.size());
        readers.forEach((id, c) -> readerViews.add(new ReaderLive(id, c.state, c.since, List.copyOf(c.alerts), c.lastTap)));
        return new RoomView(config.id(), config.name(), config.type().wireName(), config.capacity(),
                new RoomView.Occupancy(occupants.size(), List.copyOf(occupants.values()), lastReset),
                metricViews, onAir, equipment, doors, List.copyOf(alarms.values()), readerViews,
                List.copyOf(sensors.values()));
    }

    /** Restores what a snapshot saved; derived parts (on-air, equipment, doors, trends) are recomputed. */
    void restore(RoomView saved) {
        occupants.clear();
        saved.occupancy().occupants().forEach(o -> occupants.put(o.card(), o));
        lastReset = saved.occupancy().lastReset();
        metrics.clear();
        cells.clear();
        for (MetricState m : saved.metrics()) {
            cell(m.sensor(), m.metric()).restore(m, onOff(m.metric(), m.value()));
        }
        alarms.clear();
        saved.alarms().forEach(a -> alarms.put(a.id(), a));
        for (ReaderLive r : saved.readers()) {
            ReaderCell c = readers.computeIfAbsent(r.id(), k -> new ReaderCell());
            c.state = r.state();
            c.since = r.since();
            c.alerts.clear();
            c.alerts.addAll(r.alerts());
            c.lastTap = r.lastTap();
        }
        sensors.clear();
        saved.sensors().forEach(s -> sensors.put(s.id(), s));
    }

    List<MetricCell> metricCells() {
        return List.copyOf(metrics.values());
    }

    private static final class ReaderCell {
        String state = "unknown";
        Instant since;
        final TreeSet<String> alerts = new TreeSet<>();
        Tap lastTap;
    }

    /** Latest value and per-minute history of one sensor metric. */
    static final class MetricCell {
        final String sensor;
        final String metric;
        String unit;
        double value;
        Instant at;
        /** For on/off metrics: the current state and when it last changed. */
        boolean on;
        Instant changedAt;
        private final ArrayDeque<MinuteCell> minutes = new ArrayDeque<>();

        MetricCell(String sensor, String metric) {
            this.sensor = sensor;
            this.metric = metric;
        }

        void update(String unit, double value, Instant at, Boolean onOff) {
            this.unit = unit;
            this.value = value;
            this.at = at;
            if (onOff != null && (changedAt == null || onOff != on)) {
                on = onOff;
                changedAt = at;
            }
            long minute = Math.floorDiv(at.getEpochSecond(), 60) * 60;
            MinuteCell last = minutes.peekLast();
            if (last == null || minute > last.minute) {
                minutes.addLast(new MinuteCell(minute, value));
                while (minutes.peekFirst().minute <= minute - RoomsState.HISTORY_MINUTES * 60L) {
                    minutes.removeFirst();
                }
            } else {
                for (Iterator<MinuteCell> it = minutes.descendingIterator(); it.hasNext(); ) {
                    MinuteCell m = it.next();
                    if (m.minute == minute) {
                        m.add(value);
                        break;
                    }
                    if (m.minute < minute) {
                        break; // older than the history: the latest value moved on, the history does not
                    }
                }
            }
        }

        MetricState view() {
            List<Minute> history = new ArrayList<>(minutes.size());
            for (MinuteCell m : minutes) {
                history.add(new Minute(Instant.ofEpochSecond(m.minute), m.min, m.max, m.sum, m.count));
            }
            return new MetricState(sensor, metric, unit, value, at, changedAt, Trend.of(history), history);
        }

        void restore(MetricState saved, Boolean onOff) {
            unit = saved.unit();
            value = saved.value();
            at = saved.at();
            changedAt = saved.changedAt();
            on = onOff != null && onOff;
            minutes.clear();
            for (Minute m : saved.minutes()) {
                minutes.addLast(new MinuteCell(m.minute().getEpochSecond(), m.min(), m.max(), m.sum(), m.count()));
            }
        }
    }

    private static final class MinuteCell {
        final long minute;
        double min;
        double max;
        double sum;
        long count;

        MinuteCell(long minute, double first) {
            this(minute, first, first, first, 1);
        }

        MinuteCell(long minute, double min, double max, double sum, long count) {
            this.minute = minute;
            this.min = min;
            this.max = max;
            this.sum = sum;
            this.count = count;
        }

        void add(double v) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            count++;
        }
    }
}
