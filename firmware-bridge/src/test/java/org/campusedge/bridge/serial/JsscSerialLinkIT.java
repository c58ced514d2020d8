package org.campusedge.bridge.serial;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** jssc on a real pseudo-terminal pair made by socat. */
class JsscSerialLinkIT {

    @TempDir
    Path dir;

    private PtyPair pty;
    private JsscSerialLink host;
    private JsscSerialLink device;

    @BeforeEach
    void pair() throws Exception {
        assumeTrue(PtyPair.isSocatAvailable(), "socat is not installed");
        pty = PtyPair.open(dir.resolve("host"), dir.resolve("device"));
        host = new JsscSerialLink(SerialSettings.of8N1(pty.first().toString(), 9600));
        device = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), 9600));
    }

    @AfterEach
    void cleanUp() {
        if (host != null) {
            host.close();
            device.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    private static SerialLinkException.Reason reasonOf(InProcessSerialPipeTest.ThrowingAction action) {
        try {
            action.run();
        } catch (SerialLinkException e) {
            return e.reason();
        }
        throw new AssertionError("no SerialLinkException");
    }

    private static byte[] readAtLeast(SerialLink link, int n) throws SerialLinkException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            int r = link.read(buf, Duration.ofMillis(50));
            got.write(buf, 0, r);
        }
        return got.toByteArray();
    }

    @Test
    void bytes_cross_the_pty_in_both_directions_at_9600_8n1() throws Exception {
        host.open();
        device.open();
        assertThat(host.isOpen()).isTrue();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        device.write(all);
        assertThat(readAtLeast(host, 256)).as("raw mode: every byte value passes untouched").isEqualTo(all);
        host.write(new byte[] {0x02, 0x03, 0x0A, 0x0D});
        assertThat(readAtLeast(device, 4)).containsExactly(0x02, 0x03, 0x0A, 0x0D);
    }

    @Test
    void an_idle_read_returns_zero_after_the_timeout_without_spinning_a_core() throws Exception {
        host.open();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isCurrentThreadCpuTimeSupported());
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        assertThat(host.read(new byte[16], Duration.ofMillis(500))).isZero();
        long wall = System.nanoTime() - t0;
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        assertThat(wall).isGreaterThanOrEqualTo(Duration.ofMillis(495).toNanos());
        assertThat(cpu).as("CPU time spent waiting 500 ms").isLessThan(wall / 4);
    }

    @Test
    void a_vanished_device_fails_the_read_with_io_error_and_closes_the_link() throws Exception {
        host.open();
        pty.close();
        assertThatThrownBy(() -> host.read(new byte[16], Duration.ofSeconds(2)))
                .isInstanceOf(SerialLinkException.class)
                .hasMessage(pty.first() + ": Input/output error")
                .satisfies(e -> assertThat(((SerialLinkException) e).reason()).isEqualTo(SerialLinkException.Reason.IO_ERROR));
        assertThat(host.isOpen()).isFalse();
        assertThat(reasonOf(() -> host.read(new byte[1], Duration.ZERO))).isEqualTo(SerialLinkException.Reason.CLOSED);
        assertThat(reasonOf(host::open)).isEqualTo(SerialLinkException.Reason.NOT_FOUND);
    }

    @Test
    void opening_a_missing_path_or_a_file_that_is_no_tty_is_not_found() throws Exception {
        JsscSerialLink missing = new JsscSerialLink(SerialSettings.of8N1(dir.resolve("ttyUSB9").toString(), 9600));
        assertThatThrownBy(missing::open).hasMessage(dir.resolve("ttyUSB9") + ": no such device");
        assertThat(reasonOf(missing::open)).isEqualTo(SerialLinkException.Reason.NOT_FOUND);
        Path file = Files.writeString(dir.resolve("plain.txt"), "not a tty");
        JsscSerialLink notTty = new JsscSerialLink(SerialSettings.of8N1(file.toString(), 9600));
        assertThat(reasonOf(notTty::open)).isEqualTo(SerialLinkException.Reason.NOT_FOUND);
        assertThat(notTty.isOpen()).isFalse();
    }

    @Test
    void only_a_pty_is_recognised_as_a_pseudo_terminal() throws Exception {
        assertThat(JsscSerialLink.isPseudoTerminal(pty.first())).isTrue();
        assertThat(JsscSerialLink.isPseudoTerminal(Files.writeString(dir.resolve("f"), "x"))).isFalse();
        assertThat(JsscSerialLink.isPseudoTerminal(dir.resolve("missing"))).isFalse();
    }

    @Test
    void close_is_idempotent_and_writes_after_close_are_refused() throws Exception {
        host.open();
        host.open();
        host.close();
        host.close();
        assertThat(host.isOpen()).isFalse();
        assertThat(reasonOf(() -> host.write(new byte[] {1}))).isEqualTo(SerialLinkException.Reason.CLOSED);
        host.open();
        assertThat(host.isOpen()).as("a closed link can be reopened").isTrue();
    }
}
