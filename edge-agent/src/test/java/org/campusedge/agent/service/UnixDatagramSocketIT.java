package org.campusedge.agent.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our sd_notify sender against an independent receiver: socat bound to a unix datagram socket
 * stands in for systemd's NOTIFY_SOCKET and prints every datagram it gets.
 */
class UnixDatagramSocketIT {

    @Test
    void systemd_receives_ready_and_watchdog_datagrams(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("notify");
        Process socat = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + sock, "STDOUT")
                .redirectErrorStream(true).start();
        try {
            waitFor(sock);
            SystemdNotifier n = SystemdNotifier.from(
                    Map.of("NOTIFY_SOCKET", sock.toString(), "WATCHDOG_USEC", "30000000"),
                    ProcessHandle.current().pid(), UnixDatagramSocket::open);
            n.ready("running");
            n.watchdog();
            n.stopping();
            n.close();
            String got = readUntil(socat.getInputStream(), "STOPPING=1\nSTATUS=stopping");
            assertThat(got).isEqualTo("READY=1\nSTATUS=running" + "WATCHDOG=1" + "STOPPING=1\nSTATUS=stopping");
            assertThat(n.failures()).isZero();
        } finally {
            socat.destroy();
        }
    }

    @Test
    void sending_to_a_missing_socket_is_an_io_error(@TempDir Path dir) throws Exception {
        try (UnixDatagramSocket s = UnixDatagramSocket.open(dir.resolve("absent").toString())) {
            assertThatThrownBy(() -> s.send("WATCHDOG=1")).isInstanceOf(IOException.class).hasMessageContaining("errno");
        }
    }

    private static void waitFor(Path sock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(sock)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("socat did not bind " + sock);
            }
            Thread.sleep(10);
        }
    }

    private static String readUntil(InputStream in, String suffix) throws IOException {
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[256];
        while (!out.toString().endsWith(suffix)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
