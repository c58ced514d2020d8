package org.campusedge.agent.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service side of systemd's notify protocol (sd_notify(3)): {@code READY=1} once the agent
 * serves, {@code STATUS=…} for {@code systemctl status}, {@code WATCHDOG=1} keep-alives and
 * {@code STOPPING=1}. Outside systemd ({@code NOTIFY_SOCKET} unset) every call does nothing.
 *
 * <p>A failed send is counted and logged once (then at debug): the service manager going away is
 * no reason to stop admitting students; if it matters, the missing watchdog ping restarts us.
 * Thread-safe.
 */
public final class SystemdNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    /** Opens the socket named by {@code NOTIFY_SOCKET}; a seam for tests. */
    @FunctionalInterface
    public interface SocketOpener {
        NotifySocket open(String path) throws IOException;
    }

    private final Optional<NotifySocket> socket;
    private final Optional<Duration> watchdogInterval;
    private final AtomicLong failures = new AtomicLong();

    private SystemdNotifier(Optional<NotifySocket> socket, Optional<Duration> watchdogInterval) {
        this.socket = socket;
        this.watchdogInterval = watchdogInterval;
    }

    /** From this process's environment; a no-op notifier when not started by systemd with Type=notify. */
    public static SystemdNotifier fromEnvironment() {
        return from(System.getenv(), ProcessHandle.current().pid(), UnixDatagramSocket::open);
    }

    /** A notifier that never sends anything. */
    public static SystemdNotifier disabled() {
        return new SystemdNotifier(Optional.empty(), Optional.empty());
    }

    /**
     * @param env    the environment ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}, {@code WATCHDOG_PID})
     * @param pid    this process's id: the watchdog is ours only if {@code WATCHDOG_PID} is unset or equal
     * @param opener opens the notify socket
     */
    public static SystemdNotifier from(Map<String, String> env, long pid, SocketOpener opener) {
        String path = env.getOrDefault("NOTIFY_SOCKET", "");
        if (path.isEmpty()) {
            return disabled();
        }
        Optional<NotifySocket> socket;
        try {
            socket = Optional.of(opener.open(path));
        } catch (IOException | RuntimeException e) {
            LOG.warn("systemd notify socket {} unusable, running without READY/WATCHDOG: {}", path, e.getMessage());
            return disabled();
        }
        return new SystemdNotifier(socket, watchdogInterval(env, pid));
    }

    /** WATCHDOG_USEC as a duration, when the watchdog is enabled for this process (sd_watchdog_enabled(3)). */
    static Optional<Duration> watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        if (usec.isEmpty()) {
            return Optional.empty();
        }
        String watchdogPid = env.getOrDefault("WATCHDOG_PID", "");
        try {
            if (!watchdogPid.isEmpty() && Long.parseLong(watchdogPid) != pid) {
                return Optional.empty();
            }
            long micros = Long.parseLong(usec);
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed WATCHDOG_USEC={} / WATCHDOG_PID={}", usec, watchdogPid);
            return Optional.empty();
        }
    }

    /** True when messages go to a service manager. */
    public boolean enabled() {
        return socket.isPresent();
    }

    /** The watchdog timeout systemd enforces ({@code WatchdogSec=}), if it watches this process. */
    public Optional<Duration> watchdogTimeout() {
        return watchdogInterval;
    }

    /** The agent serves: systemd considers the unit started. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** Free-form status shown by {@code systemctl status}. */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** Keep-alive: the agent is healthy right now. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** The agent begins its shutdown. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    /** Sends that failed since start. */
    public long failures() {
        return failures.get();
    }

    private void send(String message) {
        if (socket.isEmpty()) {
            return;
        }
        try {
            socket.get().send(message);
        } catch (IOException e) {
            if (failures.incrementAndGet() == 1) {
                LOG.warn("systemd notify failed (further failures logged at debug): {}", e.getMessage());
            } else {
                LOG.debug("systemd notify failed: {}", e.getMessage());
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    @Override
    public void close() {
        socket.ifPresent(NotifySocket::close);
    }
}
