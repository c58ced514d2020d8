package org.campusedge.bridge.rdm6300;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the stream decoder: no input makes {@code feed} throw or hang (the decoder does constant
 * work per byte, so every property finishing is the hang check), and it always recovers.
 */
class Rdm6300DecoderProperties {

    private static final Rdm6300Frame KNOWN = Rdm6300Frame.ofHex("62E3086CED");
    private static final byte[] KNOWN_WIRE = Rdm6300Encoder.encode(KNOWN);

    /** A piece of line traffic: either a valid frame or a run of noise. */
    record Segment(Rdm6300Frame frame, byte[] noise) {
        byte[] bytes() {
            return frame != null ? Rdm6300Encoder.encode(frame) : noise;
        }
    }

    @Provide
    Arbitrary<Rdm6300Frame> frames() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.longs().between(0, 0xFFFF_FFFFL))
                .as(Rdm6300Frame::new);
    }

    /** Noise without STX: it cannot start a frame, so every frame after it must come through. */
    @Provide
    Arbitrary<byte[]> noiseWithoutStx() {
        return Arbitraries.bytes().filter(b -> b != Rdm6300Frame.STX).array(byte[].class).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Segment>> traffic() {
        Arbitrary<Segment> frame = frames().map(f -> new Segment(f, null));
        Arbitrary<Segment> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(n -> new Segment(null, n));
        return Arbitraries.oneOf(frame, noise).list().ofMaxSize(20);
    }

    @Property(tries = 2000)
    void a_valid_frame_after_any_garbage_is_decoded_exactly_once(@ForAll @Size(max = 512) byte[] garbage) {
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(garbage, 0, garbage.length);
        out.clear();
        // Whatever state the garbage left, the frame's STX restarts framing (HUNT takes it, BODY and
        // EXPECT_ETX abandon and restart on it).
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).containsExactly(KNOWN);
        assertThat(d.state()).isEqualTo(Rdm6300Decoder.State.HUNT);
    }

    @Property(tries = 1000)
    void any_frame_round_trips_through_any_two_way_split(@ForAll("frames") Rdm6300Frame frame,
                                                          @ForAll @IntRange(max = 14) int split) {
        byte[] wire = Rdm6300Encoder.encode(frame);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, split);
        d.feed(wire, split, wire.length - split);
        assertThat(out).containsExactly(frame);
    }

    @Property(tries = 3000)
    void a_single_bit_flip_never_yields_a_different_card(@ForAll("frames") Rdm6300Frame frame,
                                                         @ForAll @IntRange(max = 13) int index,
                                                         @ForAll @IntRange(max = 7) int bit) {
        byte[] wire = Rdm6300Encoder.encode(frame);
        wire[index] ^= (byte) (1 << bit);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, wire.length);
        // A flip either breaks the frame or only changes a letter's case ('A' 0x41 <-> 'a' 0x61).
        assertThat(out).allMatch(frame::equals);
        if (out.isEmpty()) {
            boolean accounted = d.checksumErrors() > 0 || d.droppedBytes() > 0 || d.state() != Rdm6300Decoder.State.HUNT;
            assertThat(accounted).as("a broken frame is counted or still pending").isTrue();
        }
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).last().isEqualTo(KNOWN);
    }

    @Property(tries = 1000)
    void truncated_frames_are_never_emitted_and_the_next_frame_is(@ForAll("frames") Rdm6300Frame frame,
                                                                  @ForAll @IntRange(max = 13) int length) {
        byte[] wire = Rdm6300Encoder.encode(frame);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, length);
        assertThat(out).isEmpty();
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).containsExactly(KNOWN);
        assertThat(d.droppedBytes()).isEqualTo(length);
    }

    @Property(tries = 1000)
    void frames_separated_by_noise_without_stx_all_come_through_in_order(
            @ForAll @Size(max = 8) List<@From("frames") Rdm6300Frame> sent,
            @ForAll @Size(max = 9) List<@From("noiseWithoutStx") byte[]> noise) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long noiseBytes = 0;
        for (int i = 0; i < sent.size(); i++) {
            if (i < noise.size()) {
                line.writeBytes(noise.get(i));
                noiseBytes += noise.get(i).length;
            }
            line.writeBytes(Rdm6300Encoder.encode(sent.get(i)));
        }
        byte[] bytes = line.toByteArray();
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(bytes, 0, bytes.length);
        assertThat(out).containsExactlyElementsOf(sent);
        assertThat(d.droppedBytes()).isEqualTo(noiseBytes);
    }

    @Property(tries = 1000)
    void random_interleavings_of_frames_and_noise_never_throw_and_account_for_every_byte(
            @ForAll("traffic") List<Segment> traffic, @ForAll @IntRange(min = 1, max = 20) int chunk) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        traffic.forEach(s -> line.writeBytes(s.bytes()));
        byte[] bytes = line.toByteArray();
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        for (int i = 0; i < bytes.length; i += chunk) {
            d.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        long sentFrames = traffic.stream().filter(s -> s.frame() != null).count();
        assertThat(out.size()).isLessThanOrEqualTo((int) (sentFrames + bytes.length / 14));
        // Every byte is in an emitted frame, a checksum-failed frame, the dropped count, or the
        // (at most 13 bytes of the) frame still being collected.
        long accounted = 14L * (d.frames() + d.checksumErrors()) + d.droppedBytes();
        assertThat(bytes.length - accounted).isBetween(0L, 13L);
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).last().isEqualTo(KNOWN);
    }

    @Property(tries = 100)
    void a_long_flood_of_random_bytes_is_handled_in_constant_state(@ForAll @Size(min = 10_000, max = 20_000) byte[] flood) {
        Rdm6300Decoder d = new Rdm6300Decoder(f -> { });
        d.feed(flood, 0, flood.length);
        long accounted = 14L * (d.frames() + d.checksumErrors()) + d.droppedBytes();
        assertThat(flood.length - accounted).isBetween(0L, 13L);
    }
}
