package org.campusedge.agent.sensors;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded hand-off from the MQTT client's callback thread to the ingest thread, with one FIFO
 * per topic served round-robin, so a flooding topic gets only its share of the ingest thread.
 *
 * <p>Overflow policy, chosen because a sensor's newest value supersedes its older ones: when a
 * topic already holds {@code perTopic} messages (or the whole queue is full), its <em>oldest</em>
 * message is dropped to make room; when the whole queue is full and a message arrives for a topic
 * with nothing queued, that new message is rejected. Both count as dropped. {@link #offer} never
 * blocks, so Paho's callback thread never waits on decoding. Thread-safe: any producer, one
 * consumer.
 *
 * <p>A topic's FIFO outlives its emptying — the consumer empties every queue many times a second,
 * and a new one per message would be most of what a hand-off allocates — until more than
 * {@value #IDLE_TOPICS_KEPT} topics are known, when the empty ones are let go.
 */
final class TopicQueues {

    /** One received message. */
    record Inbound(String topic, byte[] payload, Instant receivedAt) {
    }

    /** Empty per-topic FIFOs kept for reuse, at most about this many (the box's own topics, a few hundred). */
    static final int IDLE_TOPICS_KEPT = 4_096;

    private final int perTopic;
    private final int total;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Map<String, ArrayDeque<Inbound>> byTopic = new HashMap<>();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final LongAdder dropped = new LongAdder();
    private int size;
    /** Known topics (with or without messages queued) past which the empty FIFOs are let go. */
    private int purgeAt = IDLE_TOPICS_KEPT;
    /** Consumers blocked waiting for a message; only they need a signal (an unpark is a system call). */
    private int waiting;

    TopicQueues(int perTopic, int total) {
        if (perTopic < 1 || total < perTopic) {
            throw new IllegalArgumentException("need 1 <= perTopic <= total, got " + perTopic + ", " + total);
        }
        this.perTopic = perTopic;
        this.total = total;
    }

    /** Queues a message, dropping per the overflow policy; false if this message itself was dropped. */
    boolean offer(Inbound m) {
        lock.lock();
        try {
            ArrayDeque<Inbound> q = byTopic.get(m.topic());
            if (q == null || q.isEmpty()) {
                if (size >= total) {
                    dropped.increment();
                    return false;
                }
                if (q == null) {
                    if (byTopic.size() >= purgeAt) {
                        byTopic.values().removeIf(ArrayDeque::isEmpty);
                        // Amortised: the next purge only after as many new topics again.
                        purgeAt = Math.max(IDLE_TOPICS_KEPT, 2 * byTopic.size());
                    }
                    q = new ArrayDeque<>();
                    byTopic.put(m.topic(), q);
                }
                ready.addLast(m.topic());
            } else if (q.size() >= perTopic || size >= total) {
                q.pollFirst();
                size--;
                dropped.increment();
            }
            q.addLast(m);
            size++;
            if (waiting > 0) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next message, taking topics in turn; waits at most {@code timeout}, null if none arrived. */
    Inbound poll(long timeout, TimeUnit unit) throws InterruptedException {
        java.util.List<Inbound> one = new java.util.ArrayList<>(1);
        return drainTo(one, 1, timeout, unit) == 0 ? null : one.get(0);
    }

    /**
     * Moves up to {@code max} messages into {@code out}, topics in turn, under one lock: the
     * ingest thread takes what has piled up in one go rather than paying a hand-off per message.
     * Waits at most {@code timeout} for the first; returns how many were taken.
     */
    int drainTo(java.util.List<Inbound> out, int max, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (ready.isEmpty()) {
                if (nanos <= 0) {
                    return 0;
                }
                waiting++;
                try {
                    nanos = notEmpty.awaitNanos(nanos);
                } finally {
                    waiting--;
                }
            }
            int taken = 0;
            while (taken < max && !ready.isEmpty()) {
                String topic = ready.pollFirst();
                ArrayDeque<Inbound> q = byTopic.get(topic);
                out.add(q.pollFirst());
                size--;
                taken++;
                if (!q.isEmpty()) {
                    ready.addLast(topic);
                }
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    /** Topics known, with or without messages queued. */
    int topics() {
        lock.lock();
        try {
            return byTopic.size();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }
}
