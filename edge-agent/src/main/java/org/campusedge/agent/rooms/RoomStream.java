package org.campusedge.agent.rooms;

import org.campusedge.agent.http.AgentApi;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.http.SseHub;

import java.util.List;
import java.util.Map;

/**
 * Publishes live room updates on the agent's {@code /api/stream}: a {@code room} event with the
 * whole room view (keyed per room, so a slow dashboard gets only the latest of each), and one
 * event per tap ({@code tap}), alarm raised, cleared or acknowledged ({@code alarm}), reader or sensor status change
 * ({@code reader}, {@code sensor}), occupancy reset ({@code occupancy}) and access-mode change
 * ({@code mode}), never coalesced. Event data is JSON: a room view, or the journaled event as
 * {@code /api/events} shows it.
 */
public final class RoomStream implements RoomListener {

    private static final Map<String, String> NAMES = Map.of(
            EventType.ACCESS_DECISION.wireName(), "tap",
            EventType.ALARM_RAISED.wireName(), "alarm",
            EventType.ALARM_CLEARED.wireName(), "alarm",
            EventType.ALARM_ACKNOWLEDGED.wireName(), "alarm",
            EventType.READER_STATUS.wireName(), "reader",
            EventType.READER_ALERT.wireName(), "reader",
            EventType.SENSOR_AVAILABILITY.wireName(), "sensor",
            EventType.ROOM_OCCUPANCY_RESET.wireName(), "occupancy",
            EventType.ACCESS_MODE.wireName(), "mode");

    private final SseHub hub;

    public RoomStream(SseHub hub) {
        this.hub = hub;
    }

    @Override
    public void roomsChanged(List<RoomView> rooms) {
        for (RoomView r : rooms) {
            hub.publish("room", "room/" + r.id(), EventJson.write(r.withRecentMinutes(RoomView.LIVE_MINUTES)));
        }
    }

    @Override
    public void notable(JournalEvent event) {
        String name = NAMES.get(event.type());
        if (name != null) {
            hub.publish(name, EventJson.write(AgentApi.EventView.of(event)));
        }
    }
}
