package org.campusedge.agent.http;

import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.rooms.MetricHistory;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomsState;
import org.campusedge.agent.sensors.Metric;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpRequestView;
import org.campusedge.sync.http.Router;

import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /api/rooms/{id}/history?range=hour|day|week[&sensor=..][&metric=..]}: a room's
 * metrics in buckets of min, max, average and count (per minute for the hour, per 15 minutes for
 * the day, per hour for the week), from the journal's per-minute aggregates and the minutes not
 * aggregated yet (see {@link MetricHistory}). Read-only; runs on the HTTP server's workers.
 */
public final class RoomHistoryApi {

    private final MetricHistory history;
    private final RoomsState state;
    private final Clock clock;

    public RoomHistoryApi(MetricHistory history, RoomsState state, Clock clock) {
        this.history = history;
        this.state = state;
        this.clock = clock;
    }

    public Router register(Router router) {
        return router.get("/api/rooms/{id}/history", (req, p) -> history(req, p.get("id")));
    }

    private HttpReply history(HttpRequestView req, String roomId) {
        MetricHistory.Range range;
        Optional<String> sensor;
        Optional<String> metric;
        try {
            String r = req.queryParam("range").orElse("hour");
            range = MetricHistory.Range.fromWireName(r).orElseThrow(() -> new IllegalArgumentException(
                    "range must be hour, day or week, got \"" + QueryParams.printable(r) + "\""));
            sensor = QueryParams.id(req, "sensor");
            metric = req.queryParam("metric").map(m -> Metric.fromWireName(m).map(Metric::wireName).orElseThrow(() ->
                    new IllegalArgumentException("metric must be one of " + Arrays.stream(Metric.values())
                            .map(Metric::wireName).collect(Collectors.joining(", ")) + ", got \"" + QueryParams.printable(m) + "\"")));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "bad_query", e.getMessage());
        }
        Optional<RoomView> room = state.view(roomId);
        if (room.isEmpty()) {
            return RoomsApi.noSuchRoom(state, roomId);
        }
        if (sensor.isPresent() && room.get().sensors().stream().noneMatch(s -> s.id().equals(sensor.get()))
                && room.get().metrics().stream().noneMatch(m -> m.sensor().equals(sensor.get()))) {
            return HttpReply.error(400, "bad_query", "sensor \"" + sensor.get() + "\" has not been heard from in room "
                    + roomId);
        }
        return history.of(roomId, range, clock.instant(), sensor, metric)
                .map(h -> HttpReply.json(200, EventJson.write(h)))
                .orElseGet(() -> HttpReply.error(404, "no_such_room", "no room \"" + QueryParams.printable(roomId) + "\""));
    }
}
