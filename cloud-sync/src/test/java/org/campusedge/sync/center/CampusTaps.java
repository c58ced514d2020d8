package org.campusedge.sync.center;

import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.WireEvent;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A known set of door events of two schools, written as the box journals them
 * ({@code access.decision}, {@code room.occupancy_reset}), and the usage figures they must give.
 * Times are local to {@link #ZONE}.
 *
 * <p>Riverside (box-a), studio-1, recording studio:
 * <ul>
 *   <li>Mon 2026-09-07 09:00 c1 in, 09:10 c2 in, 09:50 c1 out, 10:30 c2 out: a session of 1.5 h, 2 students.
 *       A denied tap of c7 at 12:00 moves nobody.</li>
 *   <li>Mon 14:00 c3 in and forgets to tap out; the daily close at 22:00 ends the session: 8 h.</li>
 *   <li>Tue 2026-09-15 10:00 card c4 of person s-4 in, 11:00 out: 1 h.</li>
 *   <li>Wed 2026-09-16 09:00 c5 in, 09:30 c6 in, no exit yet: an open session, counted to 09:30 (0.5 h).</li>
 * </ul>
 * Hillcrest (box-b): lab-1, also a recording studio: Tue 2026-09-08 08:00 c1 (another school's c1) in,
 * 08:30 out: 0.5 h; room-x (a box that sends no room type): Wed 2026-09-09 15:00 c9 in, 15:15 out.
 */
final class CampusTaps {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String BOX_A = "box-a";
    static final String BOX_B = "box-b";
    static final String RIVERSIDE = "Riverside Primary";
    static final String HILLCREST = "Hillcrest, Secondary";

    private final Map<String, List<WireEvent>> byDevice = new LinkedHashMap<>();

    static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZONE).toInstant();
    }

    CampusTaps() {
        tap(BOX_A, "2026-09-07T09:00", "studio-1", "recording-studio", "c1", null, true, "in");
        tap(BOX_A, "2026-09-07T09:10", "studio-1", "recording-studio", "c2", null, true, "in");
        tap(BOX_A, "2026-09-07T09:50", "studio-1", "recording-studio", "c1", null, true, "out");
        tap(BOX_A, "2026-09-07T10:30", "studio-1", "recording-studio", "c2", null, true, "out");
        tap(BOX_A, "2026-09-07T12:00", "studio-1", "recording-studio", "c7", null, false, "in");
        tap(BOX_A, "2026-09-07T14:00", "studio-1", "recording-studio", "c3", null, true, "in");
        reset(BOX_A, "2026-09-07T22:00:05", "studio-1", "2026-09-07T22:00");
        tap(BOX_A, "2026-09-15T10:00", "studio-1", "recording-studio", "c4", "s-4", true, "in");
        tap(BOX_A, "2026-09-15T11:00", "studio-1", "recording-studio", "c4", "s-4", true, "out");
        tap(BOX_A, "2026-09-16T09:00", "studio-1", "recording-studio", "hk1:c5", null, true, "in");
        tap(BOX_A, "2026-09-16T09:30", "studio-1", "recording-studio", "hk1:c6", null, true, "in");
        tap(BOX_B, "2026-09-08T08:00", "lab-1", "recording-studio", "c1", null, true, "in");
        tap(BOX_B, "2026-09-08T08:30", "lab-1", "recording-studio", "c1", null, true, "out");
        tap(BOX_B, "2026-09-09T15:00", "room-x", null, "c9", null, true, "in");
        tap(BOX_B, "2026-09-09T15:15", "room-x", null, "c9", null, true, "out");
    }

    private void tap(String device, String local, String room, String roomType, String card, String person, boolean granted,
                     String direction) {
        StringBuilder p = new StringBuilder("{\"reader\":\"").append(room).append("-door\",\"room\":\"").append(room).append('"');
        if (roomType != null) {
            p.append(",\"roomType\":\"").append(roomType).append('"');
        }
        p.append(",\"door\":\"main\",\"card\":\"").append(card).append("\",\"format\":\"wiegand26\",\"bits\":26")
                .append(",\"granted\":").append(granted).append(",\"reason\":\"").append(granted ? "granted" : "card_unknown").append('"');
        if (person != null) {
            p.append(",\"person\":\"").append(person).append('"');
        }
        p.append(",\"direction\":\"").append(direction).append("\"}");
        add(device, "access.decision", at(local), p.toString());
    }

    private void reset(String device, String local, String room, String beforeLocal) {
        add(device, "room.occupancy_reset", at(local), "{\"room\":\"" + room + "\",\"before\":\"" + at(beforeLocal)
                + "\",\"reason\":\"daily_close\",\"cleared\":1}");
    }

    private void add(String device, String type, Instant at, String payload) {
        List<WireEvent> events = byDevice.computeIfAbsent(device, d -> new ArrayList<>());
        events.add(new WireEvent(events.size() + 1, type, at, payload));
    }

    /** Each device's events as one priority-stream batch. */
    List<IngestBatch> batches() {
        return batches(Integer.MAX_VALUE);
    }

    /** Each device's events in priority-stream batches of at most {@code size}, in seq order. */
    List<IngestBatch> batches(int size) {
        List<IngestBatch> out = new ArrayList<>();
        byDevice.forEach((device, events) -> {
            for (int from = 0; from < events.size(); from += size) {
                out.add(IngestBatch.of(device, "priority", events.subList(from, Math.min(events.size(), from + size))));
            }
        });
        return out;
    }

    static Map<String, String> schools() {
        return Map.of(BOX_A, RIVERSIDE, BOX_B, HILLCREST);
    }
}
