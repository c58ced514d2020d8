package org.campusedge.sync.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One named thread that a component owns and runs its periodic and one-off work on, so the
 * component's state belongs to that thread alone. A task that throws is logged (with the
 * thread's name) and the schedule goes on; {@link #close()} stops the schedule, lets a running
 * task finish (up to ten seconds) and returns once the thread has ended.
 */
public final class OwnThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnThread.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final NamedThreadFactory threads;
    private final ScheduledExecutorService executor;

    /** Starts the thread, named {@code name-0}; a daemon thread does not keep the JVM alive. */
    public OwnThread(String name, boolean daemon) {
        this.name = name;
        this.threads = new NamedThreadFactory(name, daemon);
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, threads);
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = e;
    }

    /** Runs {@code task} after {@code initial}, then {@code every} after each run ends. */
    public ScheduledFuture<?> every(Duration initial, Duration every, Runnable task) {
        return executor.scheduleWithFixedDelay(guarded(task), initial.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} once after {@code delay}. */
    public ScheduledFuture<?> after(Duration delay, Runnable task) {
        return executor.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} as soon as the thread is free. */
    public Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: task failed, the schedule goes on: {}", name, e.toString());
            }
        };
    }

    public boolean isClosed() {
        return executor.isShutdown();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
            if (!threads.joinAll(Duration.ofSeconds(1))) {
                LOG.warn("{}: thread still running after close", name);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
