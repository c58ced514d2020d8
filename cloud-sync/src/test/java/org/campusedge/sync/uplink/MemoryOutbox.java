package org.campusedge.sync.uplink;

import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An {@link Outbox} in memory standing in for the box's journal in tests. Thread-safe. */
public final class MemoryOutbox implements Outbox {

    private static final Instant BASE = Instant.parse("2025-03-01T08:00:00Z");

    private final List<String> streams;
    private final Map<String, TreeMap<Long, WireEvent>> events = new HashMap<>();
    private final Map<String, Long> acked = new HashMap<>();
    private final Map<String, List<WireGap>> undeclared = new HashMap<>();
    private int acknowledgeCalls;

    public MemoryOutbox(String... streams) {
        this.streams = List.of(streams);
        for (String s : streams) {
            events.put(s, new TreeMap<>());
            acked.put(s, 0L);
        }
    }

    /** The event a journal would have committed as {@code seq} of {@code stream}: the same in every outbox. */
    public static WireEvent event(String stream, long seq) {
        return new WireEvent(seq, seq % 3 == 0 ? "access.decision" : "card.tap", BASE.plusMillis(seq * 37),
                "{\"stream\":\"" + stream + "\",\"n\":" + seq + ",\"reader\":\"studio-" + (seq % 7) + "\"}");
    }

    /** Commits {@code count} more events to {@code stream}; returns the new last seq. */
    public synchronized long append(String stream, int count) {
        TreeMap<Long, WireEvent> s = events.get(stream);
        long next = s.isEmpty() ? 1 : s.lastKey() + 1;
        for (int i = 0; i < count; i++) {
            s.put(next + i, event(stream, next + i));
        }
        return s.lastKey();
    }

    /** Deletes {@code from..to} of {@code stream} unsent, as a journal over its disk budget would, recording the gap. */
    public synchronized void lose(String stream, long from, long to) {
        events.get(stream).subMap(from, true, to, true).clear();
        undeclared.computeIfAbsent(stream, s -> new ArrayList<>()).add(WireGap.of(from, to, "disk_budget", BASE));
    }

    @Override
    public synchronized List<WireGap> undeclaredGaps(String stream) {
        return List.copyOf(undeclared.getOrDefault(stream, List.of()));
    }

    @Override
    public synchronized void gapDeclared(String stream, WireGap gap) {
        undeclared.getOrDefault(stream, new ArrayList<>()).remove(gap);
    }

    /** Pretends the box had recorded an acknowledgement up to {@code seq}. */
    public synchronized void markAcked(String stream, long seq) {
        acked.put(stream, seq);
    }

    public synchronized int acknowledgeCalls() {
        return acknowledgeCalls;
    }

    @Override
    public List<String> streams() {
        return streams;
    }

    @Override
    public synchronized long ackedSeq(String stream) {
        return acked.getOrDefault(stream, 0L);
    }

    @Override
    public synchronized long lastSeq(String stream) {
        TreeMap<Long, WireEvent> s = events.get(stream);
        return s == null || s.isEmpty() ? 0 : s.lastKey();
    }

    @Override
    public synchronized List<WireEvent> after(String stream, long afterSeq, int max) {
        List<WireEvent> out = new ArrayList<>();
        for (WireEvent e : events.get(stream).tailMap(afterSeq, false).values()) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(String stream, long seq) {
        acknowledgeCalls++;
        acked.merge(stream, seq, Math::max);
    }
}
