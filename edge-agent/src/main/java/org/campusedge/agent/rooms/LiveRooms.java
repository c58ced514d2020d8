package org.campusedge.agent.rooms;

import org.campusedge.agent.alarms.AlarmEngine;
import org.campusedge.agent.alarms.AlarmRule;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.http.PrometheusText;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.runtime.OwnThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live room state, its alarms and its daily close, kept up to date from the journal.
 *
 * <p>The state is rebuilt from the journal at start and then follows every commit (on the
 * journal writer thread, which only folds the events in). Everything else runs on the one
 * {@code live-rooms} thread: alarm evaluation (after changes, at most five times a second, and
 * every second for durations and silence), the daily close, publishing changed rooms to the
 * listener (each at most every {@code http.live-update-every}), and a snapshot every {@code occupancy.snapshot-every} and at close.
 */
public final class LiveRooms implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRooms.class);
    private static final Duration EVALUATE_AFTER_CHANGE = Duration.ofMillis(200);

    private final Journal journal;
    private final RoomsState state;
    private final AlarmEngine alarms;
    private final DailyClose dailyClose;
    private final RoomListener listener;
    private final Duration snapshotEvery;
    private final OwnThread thread;
    private final AtomicBoolean evaluationQueued = new AtomicBoolean();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final LongAdder journalFailures = new LongAdder();
    private volatile boolean closed;

    private LiveRooms(AgentConfig config, List<AlarmRule> rules, Journal journal, Clock clock, RoomListener listener) {
        this.journal = journal;
        this.listener = listener;
        this.state = new RoomsState(config.rooms(), config.readers(), config.occupancy().standbyWatts());
        this.alarms = new AlarmEngine(rules, clock, this::append);
        this.dailyClose = new DailyClose(config.rooms(), config.occupancy().closeAt(), config.zone(), clock, this::append);
        this.snapshotEvery = config.occupancy().snapshotEvery();
        this.thread = new OwnThread("live-rooms", true);
    }

    /**
     * Rebuilds the state from the journal and starts following it. Call before anything else
     * appends to the journal, so that no commit falls between the rebuild and the first listen.
     */
    public static LiveRooms start(AgentConfig config, Journal journal, Clock clock, RoomListener listener) {
        LiveRooms rooms = new LiveRooms(config, config.alarms(), journal, clock, listener);
        RoomStateStore.rebuild(journal, rooms.state);
        journal.onCommit(rooms::committed);
        rooms.thread.submit(() -> rooms.alarms.adopt(rooms.state.views()));
        rooms.thread.every(Duration.ofSeconds(1), Duration.ofSeconds(1), rooms::tick);
        Duration publishEvery = config.http().liveUpdateEvery();
        rooms.thread.every(publishEvery, publishEvery, rooms::publish);
        rooms.thread.every(rooms.snapshotEvery, rooms.snapshotEvery, rooms::snapshot);
        return rooms;
    }

    /** Puts new alarm rules in force on this component's thread (see {@link AlarmEngine#replaceRules}). */
    public void replaceAlarmRules(List<AlarmRule> rules) {
        List<AlarmRule> copy = List.copyOf(rules);
        thread.submit(() -> alarms.replaceRules(copy));
    }

    public RoomsState state() {
        return state;
    }

    /** Runs on the journal writer thread after each commit: fold in, note what changed, never block. */
    private void committed(List<JournalEvent> events) {
        RoomsState.Changes changes = state.apply(events);
        if (changes.isEmpty()) {
            return;
        }
        changes.notable().forEach(listener::notable);
        synchronized (dirty) {
            dirty.addAll(changes.rooms());
        }
        if (!closed && evaluationQueued.compareAndSet(false, true)) {
            thread.after(EVALUATE_AFTER_CHANGE, this::evaluateQueued);
        }
    }

    private void evaluateQueued() {
        evaluationQueued.set(false);
        evaluate();
    }

    private void tick() {
        evaluate();
        try {
            dailyClose.check(state);
        } catch (RuntimeException e) {
            LOG.warn("daily close check failed: {}", e.toString());
        }
    }

    private void evaluate() {
        try {
            alarms.evaluate(state.views());
        } catch (RuntimeException e) {
            LOG.warn("alarm evaluation failed: {}", e.toString());
        }
    }

    private void publish() {
        List<String> ids;
        synchronized (dirty) {
            if (dirty.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(dirty);
            dirty.clear();
        }
        List<RoomView> views = new ArrayList<>(ids.size());
        for (String id : ids) {
            state.view(id).ifPresent(views::add);
        }
        try {
            listener.roomsChanged(views);
        } catch (RuntimeException e) {
            LOG.warn("room listener failed: {}", e.toString());
        }
    }

    private void snapshot() {
        try {
            RoomStateStore.save(journal, state.snapshot()).join();
        } catch (RuntimeException e) {
            LOG.warn("room state snapshot not saved: {}", e.toString());
        }
    }

    private void append(JournalEntry entry) {
        journal.append(entry).whenComplete((e, error) -> {
            if (error != null) {
                journalFailures.increment();
                LOG.error("{} for room {} not journaled: {}", entry.type().wireName(), entry.room().orElse("-"),
                        error.getMessage());
            }
        });
    }

    public AlarmEngine alarms() {
        return alarms;
    }

    public long journalFailures() {
        return journalFailures.sum();
    }

    /** Room-state, alarm and occupancy families for {@code /metrics}. */
    public void metrics(PrometheusText p) {
        RoomsState.RoomsStats s = state.stats();
        p.metric("campus_edge_rooms_events_applied_total", "counter", "Journal events folded into the live room state.", s.applied());
        p.family("campus_edge_rooms_events_ignored_total", "counter", "Journal events the room state could not use, by reason.")
                .sample("campus_edge_rooms_events_ignored_total", s.unknownRoom(), "reason", "unknown_room")
                .sample("campus_edge_rooms_events_ignored_total", s.badPayload(), "reason", "bad_payload");
        p.metric("campus_edge_alarms_raised_total", "counter", "Alarms raised.", alarms.raisedCount());
        p.metric("campus_edge_alarms_cleared_total", "counter", "Alarms cleared.", alarms.clearedCount());
        p.family("campus_edge_rooms_mark", "gauge", "Last journal sequence number folded into room state, per stream.");
        state.marks().forEach((stream, seq) -> p.sample("campus_edge_rooms_mark", seq, "stream", stream.wireName()));
        List<RoomView> views = state.views();
        p.family("campus_edge_room_occupants", "gauge", "People inside each room, from taps.");
        views.forEach(v -> p.sample("campus_edge_room_occupants", v.occupancy().count(), "room", v.id()));
        p.family("campus_edge_room_alarms_active", "gauge", "Active alarms per room.");
        views.forEach(v -> p.sample("campus_edge_room_alarms_active", v.alarms().size(), "room", v.id()));
    }

    /** Runs {@code task} on the live-rooms thread and waits for it (tests, operator actions). */
    public void runOnThread(Runnable task) {
        try {
            thread.submit(task).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("live-rooms task failed: " + e, e);
        }
    }

    /** Stops the thread and saves a final snapshot (the journal must still be open). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.close();
        snapshot();
    }

    /** The room ids, for callers that must check one exists. */
    public Optional<RoomView> room(String id) {
        return state.view(id);
    }
}
