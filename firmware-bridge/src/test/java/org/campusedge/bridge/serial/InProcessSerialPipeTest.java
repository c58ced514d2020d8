package org.campusedge.bridge.serial;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessSerialPipeTest {

    private final InProcessSerialPipe pipe = new InProcessSerialPipe("p");

    @Test
    void bytes_written_at_one_end_are_read_at_the_other_in_order() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
        pipe.deviceEnd().write(new byte[] {1, 2, 3});
        pipe.deviceEnd().write(new byte[] {4});
        byte[] buf = new byte[8];
        int n = pipe.hostEnd().read(buf, Duration.ofMillis(100));
        assertThat(n).isEqualTo(4);
        assertThat(buf).startsWith(1, 2, 3, 4);
        pipe.hostEnd().write(new byte[] {9});
        assertThat(pipe.deviceEnd().read(buf, Duration.ofMillis(100))).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 9);
    }

    @Test
    void a_read_times_out_with_zero() throws Exception {
        pipe.hostEnd().open();
        long t0 = System.nanoTime();
        assertThat(pipe.hostEnd().read(new byte[4], Duration.ofMillis(50))).isZero();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
    }

    @Test
    void unplugging_fails_reads_and_opens_until_replugged() throws Exception {
        pipe.hostEnd().open();
        pipe.disconnect();
        assertThatThrownBy(() -> pipe.hostEnd().read(new byte[4], Duration.ofMillis(10)))
                .isInstanceOf(SerialLinkException.class)
                .satisfies(e -> assertThat(((SerialLinkException) e).reason()).isEqualTo(SerialLinkException.Reason.IO_ERROR));
        assertThatThrownBy(() -> pipe.hostEnd().open())
                .satisfies(e -> assertThat(((SerialLinkException) e).reason()).isEqualTo(SerialLinkException.Reason.NOT_FOUND));
        pipe.reconnect();
        pipe.hostEnd().open();
        assertThat(pipe.hostEnd().isOpen()).isTrue();
    }

    @Test
    void a_closed_end_refuses_io() {
        assertThatThrownBy(() -> pipe.hostEnd().write(new byte[] {1}))
                .satisfies(e -> assertThat(((SerialLinkException) e).reason()).isEqualTo(SerialLinkException.Reason.CLOSED));
    }
}
