package org.campusedge.agent.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends systemd's {@code WATCHDOG=1} only while a {@link HealthProbe} passes, so that a hung agent
 * (journal writer stuck, HTTP event loop blocked) misses its keep-alives and systemd kills and
 * restarts it ({@code WatchdogSec=}, {@code Restart=on-failure}). A timer alone would not do: it
 * would keep pinging from its own healthy thread while the rest of the process hangs.
 *
 * <p>Checks every third of the watchdog timeout, so one slow probe is forgiven but a hang of
 * about two thirds of the timeout is not. Owns one thread, {@code systemd-watchdog}.
 */
public final class ServiceWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatchdog.class);

    private final SystemdNotifier notifier;
    private final HealthProbe probe;
    private final Duration period;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile long pings;
    private volatile long misses;

    ServiceWatchdog(SystemdNotifier notifier, HealthProbe probe, Duration period) {
        this.notifier = notifier;
        this.probe = probe;
        this.period = period;
        this.thread = new Thread(this::loop, "systemd-watchdog");
        this.thread.setDaemon(true);
    }

    /** Starts the loop when systemd watches this process; otherwise nothing runs. */
    public static Optional<ServiceWatchdog> start(SystemdNotifier notifier, HealthProbe probe) {
        return notifier.watchdogTimeout().map(timeout -> {
            ServiceWatchdog w = new ServiceWatchdog(notifier, probe, timeout.dividedBy(3));
            w.thread.start();
            LOG.info("systemd watchdog on: timeout {} s, health checked every {} ms",
                    timeout.toSeconds(), w.period.toMillis());
            return w;
        });
    }

    /** Starts the loop with an explicit period (tests). */
    static ServiceWatchdog startEvery(SystemdNotifier notifier, HealthProbe probe, Duration period) {
        ServiceWatchdog w = new ServiceWatchdog(notifier, probe, period);
        w.thread.start();
        return w;
    }

    private void loop() {
        boolean healthy = true;
        try {
            do {
                List<String> problems = check();
                if (problems.isEmpty()) {
                    if (!healthy) {
                        LOG.info("agent healthy again, watchdog keep-alives resume");
                        notifier.status("running");
                    }
                    notifier.watchdog();
                    pings++; // counted after everything this check sends, so a reader of pings() sees it all
                    healthy = true;
                } else {
                    misses++;
                    if (healthy) {
                        LOG.warn("agent unhealthy, withholding the systemd watchdog keep-alive: {}", problems);
                    }
                    notifier.status("unhealthy: " + String.join("; ", problems));
                    healthy = false;
                }
            } while (!stop.await(period.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> check() {
        try {
            return probe.problems();
        } catch (RuntimeException e) {
            return List.of("health probe failed: " + e);
        }
    }

    /** Keep-alives sent so far. */
    public long pings() {
        return pings;
    }

    /** Checks that failed so far. */
    public long misses() {
        return misses;
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(period.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
