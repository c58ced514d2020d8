package org.campusedge.agent.service;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SystemdNotifierTest {

    /** Records what would go to systemd. */
    static final class FakeSocket implements NotifySocket {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean failing;

        @Override
        public void send(String message) throws IOException {
            if (failing) {
                throw new IOException("Connection refused");
            }
            sent.add(message);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final FakeSocket socket = new FakeSocket();

    private SystemdNotifier notifier(Map<String, String> env) {
        return SystemdNotifier.from(env, 4242, path -> socket);
    }

    @Test
    void does_nothing_without_notify_socket() {
        SystemdNotifier n = SystemdNotifier.from(Map.of("WATCHDOG_USEC", "30000000"), 4242,
                path -> { throw new AssertionError("must not open"); });
        n.ready("x");
        n.watchdog();
        n.stopping();
        assertThat(n.enabled()).isFalse();
        assertThat(n.watchdogTimeout()).isEmpty();
    }

    @Test
    void sends_ready_status_watchdog_and_stopping_as_sd_notify_assignments() {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"));
        n.ready("running; HTTP API on port 8080");
        n.status("two\nlines");
        n.watchdog();
        n.stopping();
        n.close();
        assertThat(socket.sent).containsExactly(
                "READY=1\nSTATUS=running; HTTP API on port 8080",
                "STATUS=two lines",
                "WATCHDOG=1",
                "STOPPING=1\nSTATUS=stopping");
        assertThat(socket.closed).isTrue();
    }

    @Test
    void watchdog_timeout_comes_from_watchdog_usec_when_the_pid_is_ours() {
        assertThat(notifier(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000")).watchdogTimeout())
                .contains(Duration.ofSeconds(30));
        assertThat(notifier(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "4242"))
                .watchdogTimeout()).contains(Duration.ofSeconds(30));
        assertThat(notifier(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1"))
                .watchdogTimeout()).isEmpty();
        assertThat(notifier(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "soon")).watchdogTimeout()).isEmpty();
        assertThat(notifier(Map.of("NOTIFY_SOCKET", "@x")).watchdogTimeout()).isEmpty();
    }

    @Test
    void a_failing_socket_is_counted_not_thrown() {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"));
        socket.failing = true;
        n.watchdog();
        n.watchdog();
        assertThat(n.failures()).isEqualTo(2);
    }

    @Test
    void an_unopenable_socket_gives_a_disabled_notifier() {
        SystemdNotifier n = SystemdNotifier.from(Map.of("NOTIFY_SOCKET", "/nope"), 1,
                path -> { throw new IOException("no libc"); });
        assertThat(n.enabled()).isFalse();
    }

    @Test
    void sockaddr_un_holds_family_and_nul_terminated_path_or_abstract_name() {
        byte[] file = UnixDatagramSocket.sockaddrUn("/run/n");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.nativeOrder());
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(file).hasSize(2 + 6 + 1).endsWith('/', 'n', 0);
        byte[] abstractName = UnixDatagramSocket.sockaddrUn("@sd");
        assertThat(abstractName).hasSize(2 + 3).endsWith(0, 's', 'd');
        assertThatThrownBy(() -> UnixDatagramSocket.sockaddrUn("/" + "x".repeat(107)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchdog_pings_only_while_the_probe_passes() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000"));
        AtomicBoolean hung = new AtomicBoolean();
        HealthProbe probe = () -> hung.get() ? List.of("journal writer did not answer within 5000 ms") : List.of();
        try (ServiceWatchdog w = ServiceWatchdog.startEvery(n, probe, Duration.ofMillis(20))) {
            waitUntil(() -> w.pings() >= 3);
            hung.set(true);
            waitUntil(() -> w.misses() >= 1);
            long pingsWhenHung = w.pings();
            waitUntil(() -> w.misses() >= 5);
            assertThat(w.pings()).isEqualTo(pingsWhenHung);
            assertThat(socket.sent).contains("STATUS=unhealthy: journal writer did not answer within 5000 ms");
            hung.set(false);
            waitUntil(() -> w.pings() > pingsWhenHung);
            assertThat(socket.sent).contains("STATUS=running");
        }
    }

    @Test
    void a_throwing_probe_counts_as_unhealthy() throws Exception {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"));
        try (ServiceWatchdog w = ServiceWatchdog.startEvery(n, () -> { throw new IllegalStateException("boom"); },
                Duration.ofMillis(20))) {
            waitUntil(() -> w.misses() >= 2);
            assertThat(w.pings()).isZero();
            assertThat(socket.sent).noneMatch(m -> m.contains("WATCHDOG=1"));
        }
    }

    @Test
    void close_stops_the_watchdog_thread() {
        SystemdNotifier n = notifier(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"));
        ServiceWatchdog w = ServiceWatchdog.startEvery(n, List::of, Duration.ofMillis(20));
        w.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("systemd-watchdog"));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
