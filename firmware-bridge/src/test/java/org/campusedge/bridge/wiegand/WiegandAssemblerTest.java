package org.campusedge.bridge.wiegand;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assembler on hand-made timelines: every time below is explicit, nothing sleeps. */
class WiegandAssemblerTest {

    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    private final List<WiegandFrame> out = new ArrayList<>();
    private final WiegandAssembler assembler = new WiegandAssembler(WiegandTiming.DEFAULTS, out::add);

    /** Sends {@code frame} from {@code startNanos}, one bit every 2 ms; returns the time of the last bit. */
    private long send(WiegandFrame frame, long startNanos) {
        long t = startNanos;
        for (int i = 0; i < frame.bitCount(); i++) {
            t = startNanos + i * 2 * MS;
            assembler.onPulse(frame.bit(i), t);
        }
        return t;
    }

    @Test
    void frame_ends_only_after_the_inter_bit_timeout() {
        WiegandFrame frame = PublishedVectors.PROXMARK_KRINGLECON.frame();
        long last = send(frame, 1_000 * MS);
        assembler.poll(last + 24 * MS);
        assertThat(out).isEmpty();
        assertThat(assembler.frameEndsAtNanos()).hasValue(last + 25 * MS);
        assembler.poll(last + 25 * MS);
        assertThat(out).containsExactly(frame);
        assertThat(assembler.frameEndsAtNanos()).isEmpty();
        assertThat(assembler.state()).isEqualTo(WiegandAssembler.State.IDLE);
        assertThat(assembler.frames()).isEqualTo(1);
    }

    @Test
    void a_pulse_after_the_gap_ends_the_previous_frame_and_starts_the_next() {
        WiegandFrame a = PublishedVectors.FLIPPER_H10301.frame();
        WiegandFrame b = PublishedVectors.HIKVISION_34.frame();
        long last = send(a, 0);
        last = send(b, last + 30 * MS);
        assertThat(out).containsExactly(a);
        assembler.poll(last + 25 * MS);
        assertThat(out).containsExactly(a, b);
    }

    @Test
    void timestamps_work_across_nanotime_wraparound() {
        WiegandFrame frame = PublishedVectors.SEABREEZE_213_02000.frame();
        long last = send(frame, Long.MAX_VALUE - 10 * MS);
        assembler.poll(last + 25 * MS);
        assertThat(out).containsExactly(frame);
    }

    @Test
    void both_lines_low_at_once_is_noise_and_spoils_the_frame() {
        long t = 0;
        assembler.onPulse(1, t);
        assembler.onPulse(0, t += 2 * MS);
        assembler.onPulse(1, t);
        for (int i = 0; i < 23; i++) {
            assembler.onPulse(i % 2, t += 2 * MS);
        }
        assembler.poll(t + 25 * MS);
        assertThat(out).isEmpty();
        assertThat(assembler.noisePulses()).isEqualTo(1);
        assertThat(assembler.droppedFrames()).isEqualTo(1);
        assertThat(assembler.droppedBits()).isEqualTo(25);
    }

    @Test
    void pulses_closer_than_the_minimum_spacing_are_noise() {
        assembler.onPulse(0, 0);
        assembler.onPulse(1, 150 * US);
        assembler.poll(30 * MS);
        assertThat(out).isEmpty();
        assertThat(assembler.noisePulses()).isEqualTo(1);
        WiegandFrame next = PublishedVectors.PROXMARK_KRINGLECON.frame();
        long last = send(next, 40 * MS);
        assembler.poll(last + 25 * MS);
        assertThat(out).as("the next clean frame comes through").containsExactly(next);
    }

    @Test
    void zero_minimum_spacing_still_rejects_simultaneous_edges() {
        WiegandAssembler lax = new WiegandAssembler(new WiegandTiming(Duration.ofMillis(25), Duration.ZERO, 64), out::add);
        lax.onPulse(0, 5 * MS);
        lax.onPulse(1, 5 * MS + 1);
        lax.onPulse(1, 5 * MS + 1);
        lax.poll(40 * MS);
        assertThat(out).isEmpty();
        assertThat(lax.noisePulses()).isEqualTo(1);
    }

    @Test
    void burst_longer_than_max_bits_is_dropped_and_counted() {
        WiegandAssembler small = new WiegandAssembler(new WiegandTiming(Duration.ofMillis(25), Duration.ofNanos(200_000), 34), out::add);
        long t = 0;
        for (int i = 0; i < 40; i++) {
            small.onPulse(1, t += 2 * MS);
        }
        small.poll(t + 25 * MS);
        assertThat(out).isEmpty();
        assertThat(small.droppedFrames()).isEqualTo(1);
        assertThat(small.droppedBits()).isEqualTo(40);
        small.onPulse(0, t + 100 * MS);
        small.poll(t + 200 * MS);
        assertThat(out).containsExactly(WiegandFrame.ofBits("0"));
    }

    @Test
    void a_truncated_frame_is_delivered_as_received_for_the_decoder_to_judge() {
        WiegandFrame whole = PublishedVectors.PROXMARK_KRINGLECON.frame();
        long t = 0;
        for (int i = 0; i < 20; i++) {
            assembler.onPulse(whole.bit(i), t += 2 * MS);
        }
        assembler.poll(t + 25 * MS);
        assertThat(out).singleElement().satisfies(f -> assertThat(f.bitCount()).isEqualTo(20));
    }

    @Test
    void timing_is_validated() {
        assertThatThrownBy(() -> new WiegandTiming(Duration.ZERO, Duration.ZERO, 26)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WiegandTiming(Duration.ofMillis(25), Duration.ofMillis(25), 26)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WiegandTiming(Duration.ofMillis(25), Duration.ZERO, 65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> assembler.onPulse(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void published_frame_interrupted_after_any_bit_comes_out_as_two_pieces_that_never_decode() {
        WiegandDecoder decoder = new WiegandDecoder(EnumSet.of(WiegandFormat.H10301, WiegandFormat.H10306), UidByteOrder.AS_SENT);
        for (PublishedVectors.Vector v : PublishedVectors.all()) {
            WiegandFrame frame = v.frame();
            for (int cut = 1; cut < frame.bitCount(); cut++) {
                out.clear();
                long t = 0;
                for (int i = 0; i < frame.bitCount(); i++) {
                    t += i == cut ? 30 * MS : 2 * MS;
                    assembler.onPulse(frame.bit(i), t);
                }
                assembler.poll(t + 25 * MS);
                assertThat(out).as("%s cut after bit %d", v, cut).extracting(WiegandFrame::bitCount)
                        .containsExactly(cut, frame.bitCount() - cut);
                assertThat(out).noneSatisfy(f -> assertThat(decodes(decoder, f)).isTrue());
            }
        }
    }

    private static boolean decodes(WiegandDecoder decoder, WiegandFrame f) {
        try {
            decoder.decode(f);
            return true;
        } catch (WiegandException e) {
            return false;
        }
    }
}
