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
        int n = events.size();
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            micros[i] = CopyRows.micros(events.get(i).occurredAt());
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY event_blocks (device, stream, from_seq, to_seq, "
                + "first_at, last_at, received_at, types, rooms, ev_type, ev_room, ev_at, ev_payload) FROM STDIN (FORMAT binary)");
        try {
            CopyRows rows = new CopyRows(copy);
            rows.header();
            byte[] deviceBytes = device.getBytes(StandardCharsets.UTF_8);
            byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
            long received = CopyRows.micros(receivedAt);
            Map<String, byte[]> texts = new HashMap<>();
            int start = 0;
            for (int end : ends(micros, n)) {
                List<WireEvent> block = events.subList(start, end);
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                Set<byte[]> types = new LinkedHashSet<>();
                Set<byte[]> rooms = new LinkedHashSet<>();
                List<byte[]> eventTypes = new ArrayList<>(block.size());
                List<byte[]> eventRooms = new ArrayList<>(block.size());
                List<byte[]> payloads = new ArrayList<>(block.size());
                for (int i = start; i < end; i++) {
                    WireEvent e = events.get(i);
                    first = Math.min(first, micros[i]);
                    last = Math.max(last, micros[i]);
                    // One byte[] per distinct text, so the sets dedupe by identity.
                    byte[] type = texts.computeIfAbsent(e.type(), t -> t.getBytes(StandardCharsets.UTF_8));
                    String roomName = e.room();
                    byte[] room = roomName == null ? null : texts.computeIfAbsent(roomName, r -> r.getBytes(StandardCharsets.UTF_8));
                    types.add(type);
                    if (room != null) {
                        rooms.add(room);
                    }
                    eventTypes.add(type);
                    eventRooms.add(room);
                    payloads.add(e.payloadJson().getBytes(StandardCharsets.UTF_8));
                }
                rows.fieldCount(13);
                rows.bytes(deviceBytes);
                rows.bytes(streamBytes);
                rows.int8(block.get(0).seq());
                rows.int8(block.get(block.size() - 1).seq());
                rows.int8(first);
                rows.int8(last);
                rows.int8(received);
                rows.textArray(List.copyOf(types));
                rows.textArray(List.copyOf(rooms));
                rows.textArray(eventTypes);
                rows.textArray(eventRooms);
                rows.timestamptzArray(micros, start, end);
                rows.textArray(payloads);
                start = end;
            }
            rows.trailer();
            copy.endCopy();
            return n;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
