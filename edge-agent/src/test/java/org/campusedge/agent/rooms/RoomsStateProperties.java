package org.campusedge.agent.rooms;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.JournalEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room state is a fold over the journal: however the events are cut into commits, however the
 * two streams interleave, and wherever a snapshot is taken, the rooms come out the same.
 */
class RoomsStateProperties {

    private static final String[] ROOMS = {"maker-1", "studio-1"};
    private static final String[] CARDS = {"C1", "C2", "C3", "C4"};
    private static final String[] METRICS = {"temperature", "co2", "power", "door", "on-air"};

    /** A random but reproducible day in two rooms: taps, readings, availability, alarms and their acknowledgements, resets. */
    static List<JournalEvent> history(long seed, int size) {
        Random r = new Random(seed);
        RoomEvents ev = new RoomEvents();
        Instant t = Instant.parse("2026-11-30T00:00:00Z");
        List<JournalEvent> out = new ArrayList<>();
        java.util.Map<String, Instant> raisedAt = new java.util.HashMap<>();
        for (int i = 0; i < size; i++) {
            t = t.plusSeconds(1 + r.nextInt(120));
            String room = ROOMS[r.nextInt(ROOMS.length)];
            String card = CARDS[r.nextInt(CARDS.length)];
            int kind = r.nextInt(10);
            out.add(switch (kind) {
                case 0, 1 -> ev.tap(t, room, card, r.nextInt(4) > 0, r.nextBoolean() ? "granted" : "exit",
                        r.nextBoolean() ? "in" : "toggle");
                case 2 -> ev.availability(t, room, "s" + r.nextInt(3), r.nextBoolean());
                case 3 -> {
                    String alarm = "a" + r.nextInt(3) + ":" + room;
                    int what = r.nextInt(3);
                    if (what == 0) {
                        raisedAt.put(alarm, t);
                        yield ev.raised(t, room, alarm);
                    }
                    // An acknowledgement names its raise; now and then one that is not the latest.
                    yield what == 1 ? ev.cleared(t, room, alarm) : ev.acknowledged(t, room, alarm,
                            r.nextInt(4) == 0 ? t : raisedAt.getOrDefault(alarm, t), "m" + r.nextInt(2), r.nextBoolean() ? "on it" : null);
                }
                case 4 -> ev.reset(t, room, t.minusSeconds(r.nextInt(7200)));
                default -> {
                    String metric = METRICS[r.nextInt(METRICS.length)];
                    double value = metric.equals("door") || metric.equals("on-air") ? r.nextInt(2)
                            : Math.round(r.nextDouble() * 20_000) / 10.0;
                    yield ev.reading(t, room, "s" + r.nextInt(3), metric, value);
                }
            });
        }
        return out;
    }

    private static String fold(List<List<JournalEvent>> commits) {
        RoomsState s = RoomEvents.newState();
        commits.forEach(s::apply);
        return EventJson.write(s.views());
    }

    @Property(tries = 200)
    void any_cut_into_commits_gives_the_same_rooms(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int commitSize) {
        List<JournalEvent> events = history(seed, 300);
        List<List<JournalEvent>> one = List.of(events);
        List<List<JournalEvent>> many = new ArrayList<>();
        for (int i = 0; i < events.size(); i += commitSize) {
            many.add(events.subList(i, Math.min(events.size(), i + commitSize)));
        }
        assertThat(fold(many)).isEqualTo(fold(one));
    }

    @Property(tries = 200)
    void the_interleaving_of_the_two_streams_does_not_matter(@ForAll long seed) {
        List<JournalEvent> events = history(seed, 300);
        List<JournalEvent> priorityFirst = new ArrayList<>(events.stream().filter(e -> e.stream() == EventStream.PRIORITY).toList());
        priorityFirst.addAll(events.stream().filter(e -> e.stream() == EventStream.READINGS).toList());
        List<JournalEvent> readingsFirst = new ArrayList<>(events.stream().filter(e -> e.stream() == EventStream.READINGS).toList());
        readingsFirst.addAll(events.stream().filter(e -> e.stream() == EventStream.PRIORITY).toList());
        assertThat(fold(List.of(priorityFirst))).isEqualTo(fold(List.of(events)));
        assertThat(fold(List.of(readingsFirst))).isEqualTo(fold(List.of(events)));
    }

    @Property(tries = 200)
    void a_snapshot_anywhere_then_the_rest_gives_the_same_rooms(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int cut)
            throws Exception {
        List<JournalEvent> events = history(seed, 300);
        RoomsState before = RoomEvents.newState();
        before.apply(events.subList(0, cut));
        RoomsState after = RoomEvents.newState();
        after.restore(EventJson.MAPPER.readValue(EventJson.write(before.snapshot()), RoomsSnapshot.class));
        // Replaying from the very start is harmless too: what the snapshot holds is skipped by the marks.
        after.apply(events);
        assertThat(EventJson.write(after.views())).isEqualTo(fold(List.of(events)));
    }
}
