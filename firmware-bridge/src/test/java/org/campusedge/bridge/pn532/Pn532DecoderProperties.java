package org.campusedge.bridge.pn532;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the stream decoder: no input makes {@code feed} throw or hang (each byte is scanned a
 * bounded number of times, so every property finishing is the hang check), its buffer never grows
 * past the fixed size whatever LEN says, and it always finds the next good frame.
 */
class Pn532DecoderProperties {

    private static final Pn532Frame KNOWN = PublishedVectors.FIRMWARE_VERSION_RESPONSE.frame();
    private static final byte[] KNOWN_WIRE = PublishedVectors.FIRMWARE_VERSION_RESPONSE.wire();
    /** An idle line long enough to complete any candidate the garbage may have opened. */
    private static final byte[] IDLE = new byte[Pn532Frame.MAX_LEN + 9];

    @Provide
    Arbitrary<Pn532Frame> frames() {
        Arbitrary<Pn532Frame> info = Combinators.combine(
                        Arbitraries.of(Pn532Frame.Direction.class),
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(Pn532Frame.MAX_LEN - 2))
                .as(Pn532Frame.Information::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, info),
                Tuple.of(1, Arbitraries.just(new Pn532Frame.Ack())),
                Tuple.of(1, Arbitraries.just(new Pn532Frame.Nack())),
                Tuple.of(1, Arbitraries.just(new Pn532Frame.ErrorFrame())));
    }

    /** Frames with no 00 in code or data, so no start code can hide inside them. */
    @Provide
    Arbitrary<Pn532Frame> framesWithoutInnerStartCode() {
        Arbitrary<Pn532Frame> info = Combinators.combine(
                        Arbitraries.of(Pn532Frame.Direction.class),
                        Arbitraries.integers().between(1, 255),
                        Arbitraries.bytes().filter(b -> b != 0).array(byte[].class).ofMaxSize(Pn532Frame.MAX_LEN - 2))
                .as(Pn532Frame.Information::new);
        return Arbitraries.oneOf(info, Arbitraries.of(new Pn532Frame.Ack(), new Pn532Frame.Nack(), new Pn532Frame.ErrorFrame()));
    }

    private static List<Pn532Frame> feed(Pn532Decoder d, List<Pn532Frame> out, byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            d.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return out;
    }

    @Property(tries = 2000)
    void random_bytes_never_throw_and_a_good_frame_after_them_is_decoded(@ForAll @Size(max = 600) byte[] garbage,
                                                                          @ForAll @IntRange(min = 1, max = 64) int chunk) {
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        feed(d, out, garbage, chunk);
        out.clear();
        // Garbage may have opened a candidate with a plausible LEN that swallows the frame; an idle
        // line completes it, its DCS fails and the rescan finds the frame inside.
        feed(d, out, KNOWN_WIRE, chunk);
        feed(d, out, IDLE, chunk);
        assertThat(out).contains(KNOWN);
        assertThat(d.pending()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 500)
    void any_frame_round_trips_through_any_two_way_split(@ForAll("frames") Pn532Frame frame, @ForAll @IntRange(max = 300) int at) {
        byte[] wire = Pn532Encoder.encode(frame);
        int split = Math.min(at, wire.length);
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        d.feed(wire, 0, split);
        d.feed(wire, split, wire.length - split);
        assertThat(out).containsExactly(frame);
    }

    @Property(tries = 3000)
    void a_single_bit_flip_never_yields_a_different_frame_of_the_same_length(@ForAll("frames") Pn532Frame frame,
                                                                             @ForAll @IntRange(max = 300) int at,
                                                                             @ForAll @IntRange(max = 7) int bit) {
        byte[] wire = Pn532Encoder.encode(frame);
        int index = at % wire.length;
        wire[index] ^= (byte) (1 << bit);
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        d.feed(wire, 0, wire.length);
        d.feed(IDLE, 0, IDLE.length);
        // A flip in the preamble (a 00 becoming non-zero) leaves the frame intact; anywhere else the
        // LCS/DCS/postamble/TFI checks catch it. Either way no other frame may appear in its place.
        assertThat(out).allMatch(frame::equals);
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).last().isEqualTo(KNOWN);
    }

    @Property(tries = 1000)
    void truncated_frames_are_never_emitted_and_the_next_frame_is(@ForAll("framesWithoutInnerStartCode") Pn532Frame frame, @ForAll @IntRange(max = 300) int at) {
        byte[] wire = Pn532Encoder.encode(frame);
        int length = at % wire.length;
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        d.feed(wire, 0, length);
        assertThat(out).isEmpty();
        d.feed(IDLE, 0, IDLE.length);
        d.feed(KNOWN_WIRE, 0, KNOWN_WIRE.length);
        assertThat(out).last().isEqualTo(KNOWN);
        // What came before KNOWN is not asserted: idle zeros after a cut complete the candidate, and
        // an 8-bit DCS passes such a filled-in body by chance once in 256 (the reader only accepts
        // the response code it is waiting for).
    }

    @Property(tries = 1000)
    void any_len_in_a_header_is_checked_before_the_decoder_waits_for_its_body(@ForAll @IntRange(max = 0xFFFF) int len,
                                                                             @ForAll @IntRange(min = 16, max = 265) int maxLen) {
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(maxLen, out::add);
        byte[] header = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) (len >>> 8), (byte) len,
            (byte) -((len >>> 8) + (len & 0xFF))};
        d.feed(header, 0, header.length);
        if (len < 1 || len > maxLen) {
            // Rejected from the header alone; the rescan after it may open another candidate
            // (LENM 00 LENL FF spell a start code) but never waits for the huge body.
            assertThat(d.lengthErrors()).isEqualTo(1);
        } else {
            assertThat(d.state()).isEqualTo(Pn532Decoder.State.FRAME);
        }
        assertThat(d.pending()).isLessThanOrEqualTo(header.length);
    }

    @Property(tries = 500)
    void frames_separated_by_noise_without_zero_bytes_all_come_through(@ForAll @Size(max = 6) List<@From("frames") Pn532Frame> sent,
                                                                     @ForAll @Size(max = 30) byte[] noise) {
        byte[] clean = new byte[noise.length];
        for (int i = 0; i < noise.length; i++) {
            clean[i] = noise[i] == 0 ? 0x55 : noise[i];
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (Pn532Frame f : sent) {
            line.writeBytes(clean);
            line.writeBytes(Pn532Encoder.encode(f));
        }
        byte[] bytes = line.toByteArray();
        List<Pn532Frame> out = new ArrayList<>();
        Pn532Decoder d = new Pn532Decoder(out::add);
        d.feed(bytes, 0, bytes.length);
        // Noise without 00 can hold no start code, so it never opens a candidate.
        assertThat(out).containsExactlyElementsOf(sent);
        assertThat(d.droppedBytes()).isEqualTo((long) clean.length * sent.size());
        assertThat(d.resyncs()).isZero();
    }

    @Property(tries = 50)
    void a_long_flood_of_random_bytes_is_handled_in_a_bounded_buffer(@ForAll @Size(min = 10_000, max = 20_000) byte[] flood) {
        Pn532Decoder d = new Pn532Decoder(f -> { });
        d.feed(flood, 0, flood.length);
        assertThat(d.pending()).isLessThanOrEqualTo(Pn532Frame.MAX_LEN + 9);
    }
}
