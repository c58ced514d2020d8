package org.campusedge.sync.center;

import org.campusedge.sync.downlink.DownlinkScope;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.runtime.OwnThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Downlink long-polls waiting for a change, held as futures instead of threads: a poll that finds
 * nothing new is parked here, keyed by its device, and answered when the downlink changes in a way
 * that concerns it, when its wait is up, or when the center shuts down. So hundreds or thousands of
 * boxes can wait at once while the HTTP workers stay free for uploads and queries.
 *
 * <p>Bounded: at most {@code max} polls wait (a slot each); one more is refused (the caller answers
 * 503) and counted. A device polling again replaces its earlier poll, which is answered with what
 * it has; a client that closes its connection cancels its future, which frees the slot at once.
 *
 * <p>Answers are computed by {@code answer} (a store read and JSON) on the thread that ends the
 * wait: the thread {@code downlink-polls-0} for timeouts and changes, which it checks when
 * {@link #changed()} is called and every {@link #RECHECK} (the CLI writes from another process).
 * The map and the counters are concurrent; whoever removes a poll from the map answers it, once.
 */
final class ParkedPolls implements AutoCloseable {

    /** How often the store's version is compared, for writes this process does not see. */
    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(DataCenter.class);

    /** A poll: the device, the scopes it reads and the version it runs. */
    record Poll(String deviceId, List<DownlinkScope> scopes, long since) {
    }

    /** Counters for the downlink status and health. */
    record Stats(int parked, int max, long refused, long replaced, long disconnected, long woken, long timedOut) {
    }

    /** How a poll is answered now; may read the store. */
    interface Answer {
        /** The reply, and whether it carries a change (false: nothing new yet, keep waiting if there is time). */
        Optional<HttpReply> ifChanged(Poll poll);

        /** The reply whatever it holds (the wait is over). */
        HttpReply now(Poll poll);
    }

    private final class Parked {
        final Poll poll;
        final CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;
        /** The store version this poll was last found unchanged at; the polls thread only (after publication). */
        long seenVersion;

        Parked(Poll poll, long seenVersion) {
            this.poll = poll;
            this.seenVersion = seenVersion;
        }
    }

    private final int max;
    private final Semaphore slots;
    private final LongSupplier version;
    private final Answer answer;
    private final Map<String, Parked> byDevice = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder replaced = new LongAdder();
    private final LongAdder disconnected = new LongAdder();
    private final LongAdder woken = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final OwnThread thread = new OwnThread("downlink-polls", true);
    private volatile boolean closed;

    /**
     * @param max     polls that may wait at once
     * @param version the downlink store's current version
     * @param answer  how a poll is answered
     */
    ParkedPolls(int max, LongSupplier version, Answer answer) {
        this.max = max;
        this.slots = new Semaphore(max);
        this.version = version;
        this.answer = answer;
        thread.every(RECHECK, RECHECK, this::wake);
    }

    /**
     * Parks {@code poll}, found unchanged at store version {@code seenVersion}, for up to {@code wait}.
     *
     * @return the reply to come; empty if every slot is taken or the center is closing (answer now)
     */
    Optional<CompletableFuture<HttpReply>> park(Poll poll, long seenVersion, Duration wait) {
        if (closed) {
            return Optional.empty();
        }
        Parked p = new Parked(poll, seenVersion);
        while (true) {
            Parked earlier = byDevice.get(poll.deviceId());
            if (earlier != null) {
                // The box asks again (its earlier request timed out on its side, or it restarted):
                // the newer poll is the one it listens to.
                if (finish(earlier, replaced)) {
                    earlier.reply.complete(answer(earlier.poll));
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                refused.increment();
                return Optional.empty();
            }
            if (byDevice.putIfAbsent(poll.deviceId(), p) == null) {
                break;
            }
            slots.release();
        }
        p.reply.whenComplete((r, e) -> {
            if (p.reply.isCancelled() && finish(p, disconnected)) {
                LOG.debug("datacenter: device {} closed its downlink long-poll", poll.deviceId());
            }
        });
        p.timer = thread.after(wait, () -> {
            if (finish(p, timedOut)) {
                p.reply.complete(answer(p.poll));
            }
        });
        if (p.reply.isDone()) {
            p.timer.cancel(false);
        }
        if (closed) {
            if (finish(p, woken)) {
                p.reply.complete(answer(p.poll));
            }
        } else if (version.getAsLong() > seenVersion) {
            changed(); // a write between the caller's read and parking
        }
        return Optional.of(p.reply);
    }

    /** The downlink changed: parked polls are checked on the polls thread. */
    void changed() {
        if (!closed) {
            try {
                thread.submit(this::wake);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.debug("datacenter: downlink change while closing: {}", closing.getMessage());
            }
        }
    }

    Stats stats() {
        return new Stats(byDevice.size(), max, refused.sum(), replaced.sum(), disconnected.sum(), woken.sum(), timedOut.sum());
    }

    /** Answers every parked poll with what it has, stops the thread, and refuses new polls. */
    @Override
    public void close() {
        closed = true;
        thread.close();
        for (Parked p : List.copyOf(byDevice.values())) {
            if (finish(p, woken)) {
                p.reply.complete(answer(p.poll));
            }
        }
    }

    /** On the polls thread: answers every poll the store changed for since it last looked. */
    private void wake() {
        if (byDevice.isEmpty()) {
            return;
        }
        long now = version.getAsLong();
        for (Parked p : byDevice.values()) {
            if (p.seenVersion >= now || p.reply.isDone()) {
                continue;
            }
            Optional<HttpReply> changed;
            try {
                changed = answer.ifChanged(p.poll);
            } catch (RuntimeException e) {
                changed = Optional.of(failure(p.poll, e));
            }
            if (changed.isEmpty()) {
                p.seenVersion = now; // changes elsewhere (another school's); keep waiting
            } else if (finish(p, woken)) {
                p.reply.complete(changed.get());
            }
        }
    }

    /** Removes {@code p} if it is still parked; true for the one caller that then answers it. */
    private boolean finish(Parked p, LongAdder why) {
        if (!byDevice.remove(p.poll.deviceId(), p)) {
            return false;
        }
        slots.release();
        ScheduledFuture<?> t = p.timer;
        if (t != null) {
            t.cancel(false);
        }
        why.increment();
        return true;
    }

    private HttpReply answer(Poll poll) {
        try {
            return answer.now(poll);
        } catch (RuntimeException e) {
            return failure(poll, e);
        }
    }

    private static HttpReply failure(Poll poll, RuntimeException e) {
        LOG.warn("datacenter: cannot answer the downlink long-poll of device {}: {}", poll.deviceId(), e.toString());
        return HttpReply.error(503, "storage_unavailable", "the center cannot read the downlink right now; retry later")
                .withHeader("Retry-After", "5");
    }
}
