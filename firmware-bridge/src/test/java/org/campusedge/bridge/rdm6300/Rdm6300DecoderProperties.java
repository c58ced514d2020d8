package org.campusedge.bridge.rdm6300;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzing the streaming decoder: no input makes it throw, hang or emit a frame it was not sent. */
class Rdm6300DecoderProperties {

    private static final Rdm6300Frame KNOWN = Rdm6300Frame.ofHex("62E3086CED");
    private static final byte[] KNOWN_WIRE = Rdm6300Codec.encode(KNOWN);

    @Provide
    Arbitrary<Rdm6300Frame> frames() {
        return Arbitraries.integers().between(0, 255).flatMap(v ->
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(n -> new Rdm6300Frame(v, n)));
    }

    @Property(tries = 2000)
    void random_bytes_never_throw_and_a_good_frame_after_them_always_decodes(@ForAll @Size(max = 512) byte[] garbage) {
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(garbage, 0, garbage.length);
        out.clear();
        // Whatever state garbage left, at most one frame's worth of bytes is swallowed before resync:
        // a good frame sent twice is always decoded at least once.
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).isNotEmpty().allMatch(KNOWN::equals);
    }

    @Property(tries = 2000)
    void any_frame_round_trips_through_any_split(@ForAll("frames") Rdm6300Frame frame, @ForAll @IntRange(max = 14) int split) {
        byte[] wire = Rdm6300Codec.encode(frame);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, split);
        d.feed(wire, split, wire.length - split);
        assertThat(out).containsExactly(frame);
    }

    @Property(tries = 3000)
    void a_bit_flip_never_yields_a_different_card(@ForAll("frames") Rdm6300Frame frame,
                                                   @ForAll @IntRange(max = 13) int index, @ForAll @IntRange(max = 7) int bit) {
        byte[] wire = Rdm6300Codec.encode(frame);
        wire[index] ^= (byte) (1 << bit);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, wire.length);
        // A flip either breaks the frame (dropped and counted) or only changes a hex letter's case.
        assertThat(out).allMatch(frame::equals);
        if (out.isEmpty()) {
            assertThat(d.checksumErrors() + d.droppedBytes() + (d.state() == Rdm6300Decoder.State.HUNT ? 0 : 1))
                    .as("a broken frame is accounted for").isPositive();
        }
    }

    @Property(tries = 1000)
    void truncated_frames_are_never_emitted(@ForAll("frames") Rdm6300Frame frame, @ForAll @IntRange(max = 13) int length) {
        byte[] wire = Rdm6300Codec.encode(frame);
        List<Rdm6300Frame> out = new ArrayList<>();
        Rdm6300Decoder d = new Rdm6300Decoder(out::add);
        d.feed(wire, 0, length);
        assertThat(out).isEmpty();
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).containsExactly(KNOWN);
    }

    @Property(tries = 200)
    void a_long_flood_of_bytes_is_handled_in_bounded_state(@ForAll @Size(min = 10_000, max = 20_000) byte[] flood) {
        Rdm6300Decoder d = new Rdm6300Decoder(f -> { });
        d.feed(flood, 0, flood.length);
        assertThat(d.droppedBytes() + 14L * (d.frames() + d.checksumErrors()) + 13)
                .isGreaterThanOrEqualTo(flood.length);
    }
}
