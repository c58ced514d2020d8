package org.campusedge.agent.rooms;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one room looks like right now. Built from the journal alone, so the same journal always
 * gives the same view: this record is both what {@code /api/rooms} shows and what a room-state
 * snapshot stores. Nothing in it depends on the wall clock at the time it is built.
 *
 * @param id        room id from the configuration
 * @param name      display name
 * @param type      room type wire name, e.g. {@code maker-space}
 * @param capacity  how many may be inside at once (0: no limit)
 * @param occupancy who is inside, from taps in and out
 * @param metrics   the latest value, short history and trend of every sensor metric seen
 * @param onAir     the on-air lamp, when a sensor reports one
 * @param equipment power-metered equipment (printers, laser cutters) on or off
 * @param doors     door contacts open or closed
 * @param alarms    alarms raised and not yet cleared
 * @param readers   the room's card readers and whether they are online
 * @param sensors   every sensor heard from in this room and whether it is online
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomView(String id, String name, String type, int capacity, Occupancy occupancy,
                       List<MetricState> metrics, OnAir onAir, List<Equipment> equipment, List<Door> doors,
                       List<ActiveAlarm> alarms, List<ReaderLive> readers, List<SensorLive> sensors) {

    public RoomView {
        Objects.requireNonNull(id, "id");
        metrics = List.copyOf(metrics);
        equipment = List.copyOf(equipment);
        doors = List.copyOf(doors);
        alarms = List.copyOf(alarms);
        readers = List.copyOf(readers);
        sensors = List.copyOf(sensors);
    }

    /**
     * Minutes per metric a live view carries ({@code /api/rooms}, {@code /api/stream}): the open
     * one and the two before it, which the aggregator may not have summarised yet. Older minutes
     * come from {@code /api/rooms/{id}/history}; snapshots keep the whole
     * {@value RoomsState#HISTORY_MINUTES}.
     */
    public static final int LIVE_MINUTES = 3;

    /**
     * This view with only each metric's last {@code n} minutes: a room update sent many times a
     * second to every open dashboard stays small (a quarter of hour of history made it five times
     * larger).
     */
    public RoomView withRecentMinutes(int n) {
        List<MetricState> trimmed = metrics.stream().map(m -> m.minutes().size() <= n ? m
                : new MetricState(m.sensor(), m.metric(), m.unit(), m.value(), m.at(), m.changedAt(), m.trend(),
                        m.minutes().subList(m.minutes().size() - n, m.minutes().size()))).toList();
        return new RoomView(id, name, type, capacity, occupancy, trimmed, onAir, equipment, doors, alarms, readers, sensors);
    }

    /**
     * Who is inside.
     *
     * @param count     occupants now
     * @param occupants each card inside, oldest first
     * @param lastReset when forgotten tap-outs were last cleared, if ever
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Occupancy(int count, List<Occupant> occupants, Instant lastReset) {
        public Occupancy {
            occupants = List.copyOf(occupants);
        }
    }

    /** One card inside a room since a granted tap in. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Occupant(String card, String person, Instant since, String reader) {
    }

    /**
     * One sensor metric.
     *
     * @param sensor    sensor id
     * @param metric    metric wire name, e.g. {@code temperature}
     * @param unit      unit of {@code value}
     * @param value     the latest reading
     * @param at        when it was read
     * @param changedAt for on/off metrics (binary ones, and power as equipment on/off), when the state last changed
     * @param trend     {@code rising}, {@code falling} or {@code steady} over the recent minutes
     * @param minutes   per-minute summaries of the last {@value RoomsState#HISTORY_MINUTES} minutes, oldest first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetricState(String sensor, String metric, String unit, double value, Instant at, Instant changedAt,
                              String trend, List<Minute> minutes) {
        public MetricState {
            minutes = List.copyOf(minutes);
        }
    }

    /** Readings of one metric in one minute. */
    public record Minute(Instant minute, double min, double max, double sum, long count) {
        /** Shown in the API for charts; a snapshot's reader ignores it (it follows from sum and count). */
        @com.fasterxml.jackson.annotation.JsonProperty("avg")
        public double avg() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /** The recording light: on when any on-air sensor of the room says so. */
    public record OnAir(boolean on, Instant since, String sensor) {
    }

    /** A power-metered machine: on while it draws more than the standby threshold. */
    public record Equipment(String sensor, boolean on, double watts, Instant since) {
    }

    /** A door contact. */
    public record Door(String sensor, boolean open, Instant since) {
    }

    /**
     * An alarm raised and not cleared.
     *
     * @param id           {@code rule:room[:sensor]}, unique among active alarms
     * @param value        the value that raised it, when the rule watches a metric
     * @param threshold    the limit it crossed
     * @param acknowledged who acknowledged it and when; null until someone does
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActiveAlarm(String id, String rule, String kind, String severity, String sensor, String metric,
                              Double value, Double threshold, String message, Instant since, Acknowledgement acknowledged) {

        /** An alarm nobody has acknowledged yet. */
        public ActiveAlarm(String id, String rule, String kind, String severity, String sensor, String metric,
                           Double value, Double threshold, String message, Instant since) {
            this(id, rule, kind, severity, sensor, metric, value, threshold, message, since, null);
        }

        /** This alarm, acknowledged. */
        public ActiveAlarm acknowledge(Acknowledgement ack) {
            return new ActiveAlarm(id, rule, kind, severity, sensor, metric, value, threshold, message, since, ack);
        }
    }

    /**
     * Someone saw an alarm and took it on.
     *
     * @param by   the account (or, for a bearer token, the name the tool gave)
     * @param at   when, from the {@code alarm.acknowledged} event
     * @param note what they wrote, if anything
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Acknowledgement(String by, Instant at, String note) {
    }

    /**
     * A card reader at the room's door.
     *
     * @param state   {@code online}, {@code offline} or {@code unknown} (nothing heard since the journal began)
     * @param alerts  conditions the reader reports, e.g. {@code tamper}
     * @param lastTap the last card presented there
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReaderLive(String id, String state, Instant since, List<String> alerts, Tap lastTap) {
        public ReaderLive {
            alerts = List.copyOf(alerts);
        }
    }

    /** A card presented at a reader and the answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tap(String card, String person, boolean granted, String reason, String direction, Instant at) {
    }

    /**
     * A sensor heard from.
     *
     * @param online   what its availability topic or last will last said; null if it has none
     * @param lastSeen when its last reading arrived
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SensorLive(String id, Boolean online, Instant availabilityAt, Instant lastSeen) {
    }
}
