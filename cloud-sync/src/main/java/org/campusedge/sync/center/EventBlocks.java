package org.campusedge.sync.center;

import org.campusedge.sync.wire.WireEvent;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How new events become blocks, in both stores' {@code event_blocks} (see {@link PostgresSchema}
 * and {@link SqliteEventStore}): a run of one stream's events is cut into blocks of consecutive
 * seqs, each at most {@link #MAX_EVENTS} events whose box times lie less than {@link #MAX_SPAN}
 * apart; on PostgreSQL the blocks are written with one binary {@code COPY} inside the caller's
 * transaction ({@link #write}).
 *
 * <p>The span bound is what lets a search by time find every block that may hold an event at or
 * after a time t by its {@code first_at} alone: such a block has {@code first_at > t - MAX_SPAN}
 * (see {@link BlockSearch}). Events from a box whose clock jumps land in more, smaller blocks.
 * Stateless, so thread-safe.
 */
final class EventBlocks {

    /** A block's box times lie less than this apart (its {@code last_at - first_at}). */
    static final Duration MAX_SPAN = Duration.ofMinutes(10);

    /** The most events in one block: a search that needs one event of a block reads all of it. */
    static final int MAX_EVENTS = 1_000;

    private static final long MAX_SPAN_MICROS = MAX_SPAN.toNanos() / 1_000;

    private EventBlocks() {
    }

    /**
     * One block of a run of events: {@code events[from..to)}, its earliest and latest box time and
     * the distinct types and rooms in it, in order of first appearance.
     */
    record Block(int from, int to, Instant firstAt, Instant lastAt, Set<String> types, Set<String> rooms) {
    }

    /** Each event's box time as stored: microseconds since 2000-01-01 UTC (see {@link CopyRows#micros}). */
    static long[] micros(List<WireEvent> events) {
        long[] micros = new long[events.size()];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = CopyRows.micros(events.get(i).occurredAt());
        }
        return micros;
    }

    /** {@code events} cut into blocks (see {@link #ends}), {@code micros} being their {@link #micros}. */
    static List<Block> cut(List<WireEvent> events, long[] micros) {
        List<Block> blocks = new ArrayList<>();
        int start = 0;
        for (int end : ends(micros, events.size())) {
            Instant first = events.get(start).occurredAt();
            Instant last = first;
            Set<String> types = new LinkedHashSet<>();
            Set<String> rooms = new LinkedHashSet<>();
            for (WireEvent e : events.subList(start, end)) {
                first = e.occurredAt().isBefore(first) ? e.occurredAt() : first;
                last = e.occurredAt().isAfter(last) ? e.occurredAt() : last;
                types.add(e.type());
                if (e.room() != null) {
                    rooms.add(e.room());
                }
            }
            blocks.add(new Block(start, end, first, last, types, rooms));
            start = end;
        }
        return blocks;
    }

    /**
     * Where each block of {@code events} ends (exclusive), in order: a block grows while it holds
     * fewer than {@link #MAX_EVENTS} events and its box times, in stored microseconds, stay less
     * than {@link #MAX_SPAN} apart.
     */
    static int[] ends(long[] micros, int count) {
        List<Integer> ends = new ArrayList<>();
        int start = 0;
        long min = 0;
        long max = 0;
        for (int i = 0; i < count; i++) {
            long t = micros[i];
            if (i > start) {
                long lo = Math.min(min, t);
                long hi = Math.max(max, t);
                if (i - start >= MAX_EVENTS || hi - lo >= MAX_SPAN_MICROS) {
                    ends.add(i);
                    start = i;
                    min = t;
                    max = t;
                } else {
                    min = lo;
                    max = hi;
                }
            } else {
                min = t;
                max = t;
            }
        }
        if (count > 0) {
            ends.add(count);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Writes {@code events} (new, contiguous seqs of one stream) as blocks by binary COPY and
     * answers how many events were written.
     */
    static int write(Connection c, String device, String stream, List<WireEvent> events, Instant receivedAt) throws SQLException {
        long[] micros = micros(events);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY event_blocks (device, stream, from_seq, to_seq, "
                + "first_at, last_at, received_at, types, rooms, ev_type, ev_room, ev_at, ev_payload) FROM STDIN (FORMAT binary)");
        try {
            CopyRows rows = new CopyRows(copy);
            rows.header();
            byte[] deviceBytes = utf8(device);
            byte[] streamBytes = utf8(stream);
            long received = CopyRows.micros(receivedAt);
            Map<String, byte[]> texts = new HashMap<>();
            for (Block b : cut(events, micros)) {
                List<byte[]> eventTypes = new ArrayList<>(b.to() - b.from());
                List<byte[]> eventRooms = new ArrayList<>(b.to() - b.from());
                List<byte[]> payloads = new ArrayList<>(b.to() - b.from());
                for (WireEvent e : events.subList(b.from(), b.to())) {
                    eventTypes.add(texts.computeIfAbsent(e.type(), EventBlocks::utf8));
                    eventRooms.add(e.room() == null ? null : texts.computeIfAbsent(e.room(), EventBlocks::utf8));
                    payloads.add(utf8(e.payloadJson()));
                }
                rows.fieldCount(13);
                rows.bytes(deviceBytes);
                rows.bytes(streamBytes);
                rows.int8(events.get(b.from()).seq());
                rows.int8(events.get(b.to() - 1).seq());
                rows.int8(CopyRows.micros(b.firstAt()));
                rows.int8(CopyRows.micros(b.lastAt()));
                rows.int8(received);
                rows.textArray(b.types().stream().map(t -> texts.computeIfAbsent(t, EventBlocks::utf8)).toList());
                rows.textArray(b.rooms().stream().map(r -> texts.computeIfAbsent(r, EventBlocks::utf8)).toList());
                rows.textArray(eventTypes);
                rows.textArray(eventRooms);
                rows.timestamptzArray(micros, b.from(), b.to());
                rows.textArray(payloads);
            }
            rows.trailer();
            copy.endCopy();
            return events.size();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
