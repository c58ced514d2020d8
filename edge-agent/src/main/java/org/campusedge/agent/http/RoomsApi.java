package org.campusedge.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomsState;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.Router;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /api/rooms} (every room) and {@code GET /api/rooms/{id}} (one room) from the live
 * room state. Read-only; handlers take the state's lock only to copy a view.
 */
public final class RoomsApi {

    /** Response header of {@code GET /api/rooms}: the stream position the snapshot is current to. */
    public static final String STREAM_POSITION = "X-Last-Event-ID";

    private final RoomsState state;
    private final Clock clock;
    private final Supplier<String> lastEventId;

    public RoomsApi(RoomsState state, Clock clock) {
        this(state, clock, () -> "");
    }

    /**
     * @param lastEventId the live stream's latest event id; {@code GET /api/rooms} answers it in
     *                    {@value #STREAM_POSITION}, so a page can open {@code /api/stream?lastEventId=}
     *                    with it and miss no change made after its snapshot
     */
    public RoomsApi(RoomsState state, Clock clock, Supplier<String> lastEventId) {
        this.state = state;
        this.clock = clock;
        this.lastEventId = lastEventId;
    }

    /** Every room, with the school-wide access mode. */
    public record RoomsReply(Instant at, String mode, List<RoomView> rooms) {
    }

    public Router register(Router router) {
        return router
                .get("/api/rooms", (req, p) -> {
                    // Read the position before copying the views: a change between the two is
                    // then replayed (room events are whole views, so a repeat is harmless).
                    String position = lastEventId.get();
                    HttpReply reply = json(new RoomsReply(clock.instant(), state.mode(),
                            state.views().stream().map(v -> v.withRecentMinutes(RoomView.LIVE_MINUTES)).toList()));
                    return position.isEmpty() ? reply : reply.withHeader(STREAM_POSITION, position);
                })
                .get("/api/rooms/{id}", (req, p) -> {
                    String id = p.get("id");
                    Optional<RoomView> room = state.view(id);
                    if (room.isEmpty()) {
                        return noSuchRoom(state, id);
                    }
                    return json(room.get().withRecentMinutes(RoomView.LIVE_MINUTES));
                });
    }

    /** The 404 for a room id the state does not have, naming the rooms that exist. */
    static HttpReply noSuchRoom(RoomsState state, String id) {
        return HttpReply.error(404, "no_such_room", "no room \"" + QueryParams.printable(id) + "\"; rooms are "
                + String.join(", ", state.roomIds()));
    }

    private static HttpReply json(Object body) throws JsonProcessingException {
        return HttpReply.json(200, EventJson.MAPPER.writeValueAsString(body));
    }
}
