package org.campusedge.sync.runtime;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names every thread it creates {@code <prefix>-N} and remembers them, so the component that
 * owns the pool can prove at {@link #joinAll(Duration)} that its threads are gone, not merely
 * told to stop.
 *
 * <p>Thread-safe: pools create threads from whichever thread submits work.
 */
public final class NamedThreadFactory implements ThreadFactory {

    private final String prefix;
    private final boolean daemon;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> created = new ArrayList<>();

    /**
     * @param prefix thread names are {@code prefix-0}, {@code prefix-1}, ...
     * @param daemon whether the threads may be abandoned at JVM exit
     */
    public NamedThreadFactory(String prefix, boolean daemon) {
        this.prefix = prefix;
        this.daemon = daemon;
    }

    @Override
    public Thread newThread(Runnable task) {
        // FastThreadLocalThread lets Netty use its faster thread-locals; harmless elsewhere.
        Thread t = new FastThreadLocalThread(task, prefix + "-" + next.getAndIncrement());
        t.setDaemon(daemon);
        synchronized (created) {
            created.removeIf(old -> old.getState() == Thread.State.TERMINATED);
            created.add(t);
        }
        return t;
    }

    /**
     * Waits until every thread this factory created has terminated.
     *
     * @return true if all are gone, false if some were still alive when {@code timeout} passed
     */
    public boolean joinAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> threads;
        synchronized (created) {
            threads = new ArrayList<>(created);
        }
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, left / 1_000_000));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
