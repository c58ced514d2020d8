package org.campusedge.sync.wire;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a box still has to send: per stream, the events it journaled that the data center has not
 * acknowledged (counting those of the request that carries this report as acknowledged once it
 * succeeds), and when the oldest of them happened (box time). A box reports it with every request
 * in the {@value #HEADER} header ({@link BacklogHeader}); the center keeps the latest per device.
 * Validates itself: a backlog that exists is well-formed.
 *
 * @param streams per stream name, in name order
 */
public record Backlog(Map<String, Stream> streams) {

    /** The request header that carries a backlog. Centers that predate it ignore it. */
    public static final String HEADER = "CampusEdge-Backlog";
    /** More events than any box can journal: a report beyond this is garbage, not a backlog. */
    public static final long MAX_EVENTS = 1_000_000_000_000L;
    /** At most this many streams per report (a box has three). */
    public static final int MAX_STREAMS = 32;

    /**
     * One stream's backlog.
     *
     * @param events         events not yet acknowledged, 0..{@link #MAX_EVENTS}
     * @param oldestUnsentAt when the oldest of them happened; empty when {@code events} is 0 (or the box cannot tell)
     */
    public record Stream(long events, Optional<Instant> oldestUnsentAt) {
        public Stream {
            if (events < 0 || events > MAX_EVENTS) {
                throw new IllegalArgumentException("a stream's backlog must be 0.." + MAX_EVENTS + " events, got " + events);
            }
            Objects.requireNonNull(oldestUnsentAt, "oldestUnsentAt");
            if (events == 0 && oldestUnsentAt.isPresent()) {
                throw new IllegalArgumentException("a stream with no backlog has no oldest unsent event");
            }
        }

        /** A stream with nothing to send. */
        public static Stream empty() {
            return new Stream(0, Optional.empty());
        }

        /** How far behind the stream is at {@code now}: 0 with nothing to send, empty if the time of its oldest event is unknown. */
        public Optional<Long> behindSeconds(Instant now) {
            return Backlog.behindSeconds(events, oldestUnsentAt, now);
        }
    }

    public Backlog {
        Objects.requireNonNull(streams, "streams");
        if (streams.size() > MAX_STREAMS) {
            throw new IllegalArgumentException("a backlog names at most " + MAX_STREAMS + " streams, got " + streams.size());
        }
        TreeMap<String, Stream> sorted = new TreeMap<>();
        streams.forEach((name, s) -> {
            if (name == null || !IngestBatch.STREAM_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("stream must match " + IngestBatch.STREAM_NAME + ", got \"" + name + "\"");
            }
            sorted.put(name, Objects.requireNonNull(s, "stream " + name));
        });
        streams = Collections.unmodifiableMap(sorted);
    }

    /** Events behind over every stream. */
    public long totalEvents() {
        return streams.values().stream().mapToLong(Stream::events).sum();
    }

    /**
     * How far behind the box is at {@code now}: seconds since its oldest unsent event happened
     * (box time; never negative), 0 with nothing to send, empty if no stream behind tells when.
     */
    public Optional<Long> behindSeconds(Instant now) {
        return behindSeconds(totalEvents(), oldestUnsentAt(), now);
    }

    private static Optional<Long> behindSeconds(long events, Optional<Instant> oldest, Instant now) {
        if (events == 0) {
            return Optional.of(0L);
        }
        return oldest.map(t -> Math.max(0, java.time.Duration.between(t, now).toSeconds()));
    }

    /** The oldest unsent event over every stream; empty when nothing is behind (or no stream tells). */
    public Optional<Instant> oldestUnsentAt() {
        return streams.values().stream().flatMap(s -> s.oldestUnsentAt().stream()).min(Instant::compareTo);
    }
}
