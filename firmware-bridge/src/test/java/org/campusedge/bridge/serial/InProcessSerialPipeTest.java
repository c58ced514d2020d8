package org.campusedge.bridge.serial;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessSerialPipeTest {

    private final InProcessSerialPipe pipe = new InProcessSerialPipe("p");

    private static SerialLinkException.Reason reasonOf(ThrowingAction action) {
        try {
            action.run();
        } catch (SerialLinkException e) {
            return e.reason();
        }
        throw new AssertionError("no SerialLinkException");
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run() throws SerialLinkException;
    }

    @Test
    void bytes_written_at_one_end_are_read_at_the_other_in_order() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {1, 2, 3});
        pipe.deviceEnd().write(new byte[] {4});
        byte[] buf = new byte[8];
        assertThat(pipe.hostEnd().read(buf, Duration.ofMillis(100))).isEqualTo(4);
        assertThat(buf).startsWith(1, 2, 3, 4);
        pipe.hostEnd().write(new byte[] {9});
        assertThat(pipe.deviceEnd().read(buf, Duration.ofMillis(100))).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 9);
    }

    @Test
    void a_read_returns_no_more_than_the_buffer_holds() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {1, 2, 3, 4, 5});
        byte[] small = new byte[2];
        assertThat(pipe.hostEnd().read(small, Duration.ZERO)).isEqualTo(2);
        assertThat(small).containsExactly(1, 2);
        assertThat(pipe.hostEnd().read(new byte[8], Duration.ZERO)).isEqualTo(3);
    }

    @Test
    void a_read_times_out_with_zero() throws Exception {
        pipe.hostEnd().open();
        long t0 = System.nanoTime();
        assertThat(pipe.hostEnd().read(new byte[4], Duration.ofMillis(50))).isZero();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
    }

    @Test
    void a_blocked_read_wakes_when_bytes_arrive() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(50);
                pipe.deviceEnd().write(new byte[] {7});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-writer");
        writer.start();
        long t0 = System.nanoTime();
        assertThat(pipe.hostEnd().read(new byte[4], Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(2).toNanos());
        writer.join();
    }

    @Test
    void unplugging_fails_reads_and_writes_on_both_ends_and_opens_until_replugged() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {1});
        pipe.disconnect();
        assertThat(pipe.isConnected()).isFalse();
        assertThat(reasonOf(() -> pipe.hostEnd().read(new byte[4], Duration.ofMillis(10))))
                .isEqualTo(SerialLinkException.Reason.IO_ERROR);
        assertThat(pipe.hostEnd().isOpen()).as("a failed end is closed").isFalse();
        assertThat(reasonOf(() -> pipe.deviceEnd().write(new byte[] {1}))).isEqualTo(SerialLinkException.Reason.IO_ERROR);
        assertThat(reasonOf(() -> pipe.hostEnd().open())).isEqualTo(SerialLinkException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> pipe.hostEnd().open()).hasMessage("inproc:p: no such device");

        pipe.reconnect();
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        assertThat(pipe.hostEnd().read(new byte[4], Duration.ZERO)).as("bytes in flight were lost").isZero();
        pipe.deviceEnd().write(new byte[] {2});
        byte[] buf = new byte[4];
        assertThat(pipe.hostEnd().read(buf, Duration.ofMillis(100))).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 2);
    }

    @Test
    void a_read_blocked_when_the_device_is_unplugged_fails_at_once() throws Exception {
        pipe.hostEnd().open();
        Thread unplugger = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pipe.disconnect();
        }, "test-unplugger");
        unplugger.start();
        long t0 = System.nanoTime();
        assertThat(reasonOf(() -> pipe.hostEnd().read(new byte[4], Duration.ofSeconds(5))))
                .isEqualTo(SerialLinkException.Reason.IO_ERROR);
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(2).toNanos());
        unplugger.join();
    }

    @Test
    void a_writer_facing_a_full_buffer_fails_when_nobody_reads() throws Exception {
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[InProcessSerialPipe.CAPACITY]);
        assertThat(reasonOf(() -> pipe.deviceEnd().write(new byte[] {1}))).isEqualTo(SerialLinkException.Reason.IO_ERROR);
    }

    @Test
    void a_closed_end_refuses_io_and_close_is_idempotent() {
        assertThat(reasonOf(() -> pipe.hostEnd().write(new byte[] {1}))).isEqualTo(SerialLinkException.Reason.CLOSED);
        assertThat(reasonOf(() -> pipe.hostEnd().read(new byte[1], Duration.ZERO))).isEqualTo(SerialLinkException.Reason.CLOSED);
        pipe.hostEnd().close();
        pipe.hostEnd().close();
        assertThat(pipe.hostEnd().isOpen()).isFalse();
    }
}
