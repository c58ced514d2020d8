package org.campusedge.sync.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Fans published events out to every open server-sent-event stream whose filter wants them.
 * Generic: the hub knows event names, keys and JSON strings, nothing about rooms or alarms.
 *
 * <h2>Publishing</h2>
 * {@link #publish(String, String, String)} may be called from any thread and never waits for a
 * client: it numbers the event, encodes it once, keeps it in the replay ring and puts it on each
 * interested client's queue (a short lock, no I/O). Filters run under that lock, so they must be
 * quick predicates over the event's fields.
 *
 * <h2>Slow clients</h2>
 * Each client has a bounded queue ({@link SseSettings#queueCapacity()}), drained by the client's
 * Netty event loop only while the socket is writable (Netty's write-buffer water marks), so a
 * client that stops reading holds at most one queue plus one socket buffer of memory and never
 * holds up a publisher or another client. Events with a key (e.g. {@code room/studio-1}) are
 * coalesced: a newer event replaces the unsent older one with the same key, so a slow dashboard
 * gets the latest state of each room, in id order, with gaps where values were superseded.
 * Events without a key (taps, alarms) are never dropped; if one does not fit, the client is
 * disconnected (counted as a slow-client disconnect) and its browser reconnects with
 * {@code Last-Event-ID}.
 *
 * <h2>Replay</h2>
 * The last {@link SseSettings#replayCapacity()} events are kept. A subscriber sending
 * {@code Last-Event-ID} gets, first, every kept event after that id that its filter wants. If the
 * id is older than the ring, from another hub epoch (the process restarted) or not an id at all,
 * or if the replay does not fit its queue, it gets instead a single {@code reset} event, whose
 * id is the latest id and whose data is {@code {"reason":...,"lastEventId":...}}: the client
 * must fetch a fresh snapshot (e.g. {@code GET /api/rooms}) and then carries on from the stream.
 *
 * <p>Thread-safe. {@link #close()} ends every stream with a clean end of response.
 */
public final class SseHub implements AutoCloseable {

    /** The event name of the "fetch a snapshot" event sent when replay is impossible. */
    public static final String RESET_EVENT = "reset";

    private final String name;
    private final SseSettings settings;
    private final String epoch;
    private final Object lock = new Object();
    // All guarded by lock.
    private final ArrayDeque<SseQueue.Encoded> ring;
    // Replaced, never changed in place: a subscriber detached while publish() is iterating
    // (a close run inline on an event loop that publishes) cannot disturb the iteration.
    private SseSubscriber[] subscribers = new SseSubscriber[0];
    private long lastSeq;
    private boolean closed;

    /**
     * @param name     names the hub in logs, e.g. {@code agent-stream}
     * @param settings limits and timing
     */
    public SseHub(String name, SseSettings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.epoch = Long.toString(Instant.now().toEpochMilli(), 36);
        this.ring = new ArrayDeque<>(Math.min(settings.replayCapacity(), 4096));
    }

    public String name() {
        return name;
    }

    public SseSettings settings() {
        return settings;
    }

    /**
     * Publishes an event that is coalesced per {@code key} for clients that fall behind.
     *
     * @param event    the SSE event name, e.g. {@code room}; no line breaks
     * @param key      the coalescing key, e.g. {@code room/studio-1}; null for an event that must
     *                 never be coalesced
     * @param dataJson the payload, sent as one {@code data:} line per line
     * @return the event as numbered by the hub (its {@link SseEvent#id()} is the SSE id)
     */
    public SseEvent publish(String event, String key, String dataJson) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dataJson, "dataJson");
        // Encoded outside the lock, and checked before taking a number: a bad event name must
        // not leave a gap in the ids.
        byte[] body = SseFrames.body(event, dataJson);
        synchronized (lock) {
            long seq = ++lastSeq;
            SseEvent e = new SseEvent(seq, idOf(seq), event, key, dataJson);
            SseQueue.Encoded encoded = new SseQueue.Encoded(e, SseFrames.withId(e.id(), body));
            if (settings.replayCapacity() > 0) {
                if (ring.size() == settings.replayCapacity()) {
                    ring.removeFirst();
                }
                ring.addLast(encoded);
            }
            for (SseSubscriber s : subscribers) {
                if (s.wants(e)) {
                    s.offer(encoded);
                }
            }
            return e;
        }
    }

    /** Publishes an event that is never coalesced (a tap, an alarm). */
    public SseEvent publish(String event, String dataJson) {
        return publish(event, null, dataJson);
    }

    /** The id of the latest event published, {@code <epoch>-0} before the first. */
    public String lastEventId() {
        synchronized (lock) {
            return idOf(lastSeq);
        }
    }

    /** Streams open on this hub now. */
    public int openStreams() {
        synchronized (lock) {
            return subscribers.length;
        }
    }

    /**
     * Has every open stream ask its lease again now (see
     * {@link SseAnswer#subscribe(SseHub, java.util.function.Predicate, java.util.function.BooleanSupplier)}): call
     * after ending a session, so its streams end at once rather than at the next heartbeat.
     */
    public void recheckLeases() {
        SseSubscriber[] open;
        synchronized (lock) {
            open = subscribers;
        }
        for (SseSubscriber s : open) {
            s.recheckLease();
        }
    }

    /** Ends every open stream cleanly; later subscriptions are answered 503. */
    @Override
    public void close() {
        List<SseSubscriber> open;
        synchronized (lock) {
            closed = true;
            open = List.of(subscribers);
        }
        open.forEach(SseSubscriber::end);
    }

    /**
     * Adds a subscriber, after queueing its replay (or a reset event) for {@code lastEventId},
     * atomically with respect to {@link #publish}: it sees every later event exactly once.
     *
     * @param lastEventId the client's {@code Last-Event-ID} header, null or blank if none
     * @return false, adding nothing, if the hub is closed or already has {@code maxStreams} streams
     */
    boolean attach(SseSubscriber s, String lastEventId) {
        synchronized (lock) {
            if (closed || subscribers.length >= settings.maxStreams()) {
                return false;
            }
            if (lastEventId != null && !lastEventId.isBlank()) {
                replay(s, lastEventId.trim());
            }
            SseSubscriber[] more = Arrays.copyOf(subscribers, subscribers.length + 1);
            more[subscribers.length] = s;
            subscribers = more;
            return true;
        }
    }

    void detach(SseSubscriber s) {
        synchronized (lock) {
            subscribers = Arrays.stream(subscribers).filter(x -> x != s).toArray(SseSubscriber[]::new);
        }
    }

    private void replay(SseSubscriber s, String lastEventId) {
        long after = seqOf(lastEventId);
        long oldest = ring.isEmpty() ? lastSeq + 1 : ring.peekFirst().event().seq();
        String reason = after < 0 ? "unknown_id" : after > lastSeq ? "unknown_id" : after < oldest - 1 ? "too_old" : null;
        List<SseQueue.Encoded> events = new ArrayList<>();
        if (reason == null) {
            for (SseQueue.Encoded e : ring) {
                if (e.event().seq() > after && s.wants(e.event())) {
                    events.add(e);
                }
            }
            // The replay alone must not overflow the client's queue, or it would be disconnected
            // and come back with the same id forever; count distinct slots as the queue would.
            SseQueue probe = new SseQueue(settings.queueCapacity());
            for (SseQueue.Encoded e : events) {
                if (probe.offer(e) == SseQueue.Offer.OVERFLOW) {
                    reason = "too_old";
                    break;
                }
            }
        }
        if (reason != null) {
            String id = idOf(lastSeq);
            String data = "{\"reason\":\"" + reason + "\",\"lastEventId\":" + HttpReply.quote(lastEventId) + "}";
            SseEvent reset = new SseEvent(lastSeq, id, RESET_EVENT, null, data);
            s.offer(new SseQueue.Encoded(reset, SseFrames.event(id, RESET_EVENT, data)));
            return;
        }
        events.forEach(s::offer);
    }

    private String idOf(long seq) {
        return epoch + "-" + seq;
    }

    /** The sequence number in an id of this hub's epoch, or -1. */
    private long seqOf(String id) {
        int dash = id.lastIndexOf('-');
        if (dash < 0 || !id.substring(0, dash).equals(epoch)) {
            return -1;
        }
        try {
            long seq = Long.parseLong(id.substring(dash + 1));
            return seq < 0 ? -1 : seq;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
