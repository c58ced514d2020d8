package org.campusedge.bridge.rdm6300;

import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class Rdm6300SimulatorTest {

    private final InProcessSerialPipe pipe = new InProcessSerialPipe("sim");
    private final Rdm6300Simulator simulator = new Rdm6300Simulator(pipe.deviceEnd());
    private final List<Rdm6300Frame> frames = new ArrayList<>();
    private final Rdm6300Decoder decoder = new Rdm6300Decoder(frames::add);

    @BeforeEach
    void open() throws Exception {
        pipe.hostEnd().open();
        pipe.deviceEnd().open();
    }

    private void drain() throws Exception {
        byte[] buf = new byte[512];
        int n;
        while ((n = pipe.hostEnd().read(buf, Duration.ofMillis(20))) > 0) {
            decoder.feed(buf, 0, n);
        }
    }

    @Test
    void a_held_tag_repeats_its_frame_about_every_50_ms() throws Exception {
        long t0 = System.nanoTime();
        int written = simulator.present("62E3086CED", Duration.ofMillis(300));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        drain();
        // About 300 / 50 = 6 frames; a busy machine may wake the simulator late and fit fewer in.
        assertThat(written).isBetween(2, 7);
        assertThat(frames).hasSize(written).containsOnly(Rdm6300Frame.ofHex("62E3086CED"));
        assertThat(tookMs).isGreaterThanOrEqualTo(250L);
    }

    @Test
    void a_brief_touch_writes_one_frame() throws Exception {
        assertThat(simulator.present("0A00D6E3F2", Duration.ZERO)).isEqualTo(1);
        drain();
        assertThat(frames).containsExactly(Rdm6300Frame.ofHex("0A00D6E3F2"));
    }

    @Test
    void garbage_and_corrupt_frames_reach_the_line_as_such() throws Exception {
        simulator.sendGarbage(new byte[] {0x55, 0x03});
        simulator.sendCorrupt("62E3086CED");
        drain();
        assertThat(frames).isEmpty();
        assertThat(decoder.droppedBytes()).isEqualTo(2);
        assertThat(decoder.checksumErrors()).isEqualTo(1);
    }

    @Test
    void close_ends_a_presentation_in_progress_promptly_and_refuses_new_ones() throws Exception {
        CompletableFuture<Integer> holding = CompletableFuture.supplyAsync(() -> {
            try {
                return simulator.present("62E3086CED", Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(120);
        long t0 = System.nanoTime();
        simulator.close();
        int written = holding.get(2, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - t0).as("far sooner than the 30 s presentation").isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(written).isBetween(2, 5);
        assertThat(simulator.present("62E3086CED", Duration.ofSeconds(1))).isZero();
    }
}
