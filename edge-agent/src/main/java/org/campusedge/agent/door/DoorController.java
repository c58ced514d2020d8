package org.campusedge.agent.door;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.Decision;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.Feedback;
import org.campusedge.bridge.FeedbackSink;
import org.campusedge.bridge.ReaderAlert;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Turns what one reader sees into an answer at its door and a journal record. Called on the
 * reader's own thread: decides from memory, drives the door's feedback, then queues the journal
 * write without waiting for it — the door never waits for the disk or the network.
 */
public final class DoorController implements ReaderListener {

    private static final Logger LOG = LoggerFactory.getLogger(DoorController.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReaderConfig reader;
    private final String roomType;
    private final AccessDecider decider;
    private final FeedbackSink door;
    private final Journal journal;
    private final DoorStats stats;
    private final Consumer<TapOutcome> observer;

    /** What happened at a tap, for logs, the demo and tests. */
    public record TapOutcome(ReaderConfig reader, CardRead read, Decision decision, long decisionNanos) {
    }

    /**
     * @param roomType the type of the reader's room, carried on every decision so the data center's usage
     *                 report can count by room type; null if the room is not configured
     */
    public DoorController(ReaderConfig reader, RoomType roomType, AccessDecider decider, FeedbackSink door, Journal journal,
                          DoorStats stats, Consumer<TapOutcome> observer) {
        this.reader = reader;
        this.roomType = roomType == null ? null : roomType.wireName();
        this.decider = decider;
        this.door = door;
        this.journal = journal;
        this.stats = stats;
        this.observer = observer;
    }

    @Override
    public void onCardRead(CardRead read) {
        long start = System.nanoTime();
        Decision decision = decider.decide(read.cardId(), reader.room(), reader.direction(), read.readAt());
        door.apply(decision.granted() ? Feedback.grant(reader.relayPulse()) : Feedback.deny());
        long nanos = System.nanoTime() - start;
        stats.recordTap(reader.id(), decision.granted(), nanos);
        AccessPayload payload = new AccessPayload(reader.id(), reader.room(), roomType, reader.door(), read.cardId(),
                read.facilityCode().isPresent() ? read.facilityCode().getAsInt() : null, read.format(), read.bitCount(),
                decision.granted(), decision.reason().code(), decision.person().orElse(null),
                decision.direction().wireName());
        append(EventType.ACCESS_DECISION, read.readAt(), payload);
        observer.accept(new TapOutcome(reader, read, decision, nanos));
    }

    @Override
    public void onStatus(ReaderStatus status) {
        stats.recordStatus(reader.id(), status);
        append(EventType.READER_STATUS, status.at(),
                new StatusPayload(reader.id(), reader.room(), status.state().wireName(), status.detail()));
    }

    @Override
    public void onAlert(ReaderAlert alert) {
        stats.recordAlert(reader.id(), alert);
        append(EventType.READER_ALERT, alert.at(),
                new AlertPayload(reader.id(), reader.room(), alert.kind().wireName(), alert.active()));
    }

    private void append(EventType type, Instant at, Object payload) {
        String json;
        try {
            json = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + type.wireName() + " payload", e);
        }
        journal.append(new JournalEntry(type, at, Optional.of(reader.room()), json)).whenComplete((event, error) -> {
            if (error != null) {
                stats.journalFailures.increment();
                LOG.error("reader {}: {} not journaled: {}", reader.id(), type.wireName(), error.getMessage());
            }
        });
    }

    /**
     * Body of an {@code access.decision} event; {@code direction} is {@code in} or {@code out} (a toggle
     * reader's tap resolved by whether the card was inside); {@code roomType} is the room's
     * {@link RoomType#wireName()}, for the data center's usage report by room type.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record AccessPayload(String reader, String room, String roomType, String door, String card, Integer facility, String format,
                                int bits, boolean granted, String reason, String person, String direction) {
    }

    /** Body of a {@code reader.alert} event. */
    public record AlertPayload(String reader, String room, String kind, boolean active) {
    }

    /** Body of a {@code reader.status} event. */
    public record StatusPayload(String reader, String room, String state, String detail) {
    }

    /**
     * Counters shared by all doors, safe from any thread.
     */
    public static final class DoorStats {
        final LongAdder granted = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder journalFailures = new LongAdder();
        final LatencyHistogram decisionLatency = new LatencyHistogram();
        private final Map<String, ReaderStatus> readerStatus = new ConcurrentHashMap<>();
        private final Map<String, Instant> lastTap = new ConcurrentHashMap<>();
        private final Map<String, java.util.Set<String>> activeAlerts = new ConcurrentHashMap<>();

        void recordTap(String readerId, boolean wasGranted, long nanos) {
            (wasGranted ? granted : denied).increment();
            decisionLatency.record(nanos);
            lastTap.put(readerId, Instant.now());
        }

        void recordStatus(String readerId, ReaderStatus status) {
            readerStatus.put(readerId, status);
        }

        void recordAlert(String readerId, ReaderAlert alert) {
            java.util.Set<String> set = activeAlerts.computeIfAbsent(readerId, k -> ConcurrentHashMap.newKeySet());
            if (alert.active()) {
                set.add(alert.kind().wireName());
            } else {
                set.remove(alert.kind().wireName());
            }
        }

        /** Conditions a reader reports right now, e.g. {@code tamper}. */
        public java.util.Set<String> activeAlerts(String readerId) {
            return java.util.Set.copyOf(activeAlerts.getOrDefault(readerId, java.util.Set.of()));
        }

        public long granted() {
            return granted.sum();
        }

        public long denied() {
            return denied.sum();
        }

        public long journalFailures() {
            return journalFailures.sum();
        }

        public LatencyHistogram decisionLatency() {
            return decisionLatency;
        }

        public Optional<ReaderStatus> status(String readerId) {
            return Optional.ofNullable(readerStatus.get(readerId));
        }

        public Optional<Instant> lastTap(String readerId) {
            return Optional.ofNullable(lastTap.get(readerId));
        }
    }
}
