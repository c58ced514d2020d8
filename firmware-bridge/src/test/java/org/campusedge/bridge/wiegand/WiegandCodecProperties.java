package org.campusedge.bridge.wiegand;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec and the assembler under random input: nothing throws past its boundary, valid frames
 * round-trip, and parity catches every single-bit error it can.
 */
class WiegandCodecProperties {

    /** One edge: which line and how long after the previous edge. */
    record Pulse(int bit, long gapNanos) {
    }

    @Provide
    Arbitrary<WiegandFormat> fixedFormats() {
        return Arbitraries.of(WiegandFormat.H10301, WiegandFormat.H10306);
    }

    @Provide
    Arbitrary<Pulse> pulses() {
        // Gaps from "same instant" through bit spacing to well past the frame timeout.
        Arbitrary<Long> gaps = Arbitraries.oneOf(Arbitraries.longs().between(0, 300_000),
                Arbitraries.longs().between(300_000, 3_000_000), Arbitraries.longs().between(20_000_000, 60_000_000));
        return Combinators.combine(Arbitraries.integers().between(0, 1), gaps).as(Pulse::new);
    }

    @Property(tries = 1000)
    void any_pulse_sequence_never_throws_and_accounts_for_every_pulse(@ForAll @Size(max = 200) List<@From("pulses") Pulse> pulses,
                                                                      @ForAll @IntRange(min = 1, max = 64) int maxBits) {
        List<WiegandFrame> out = new ArrayList<>();
        WiegandTiming timing = new WiegandTiming(WiegandTiming.DEFAULTS.interBitTimeout(), WiegandTiming.DEFAULTS.minBitSpacing(), maxBits);
        WiegandAssembler assembler = new WiegandAssembler(timing, out::add);
        WiegandDecoder decoder = new WiegandDecoder(EnumSet.allOf(WiegandFormat.class), UidByteOrder.REVERSED);
        long t = 123_456_789L;
        for (Pulse p : pulses) {
            t += p.gapNanos();
            assembler.onPulse(p.bit(), t);
        }
        assembler.poll(t + timing.interBitTimeout().toNanos());
        assertThat(assembler.frameEndsAtNanos()).isEmpty();
        long delivered = out.stream().mapToLong(WiegandFrame::bitCount).sum();
        assertThat(delivered + assembler.droppedBits() + assembler.noisePulses()).isEqualTo(pulses.size());
        assertThat(out).allSatisfy(f -> assertThat(f.bitCount()).isLessThanOrEqualTo(maxBits));
        for (WiegandFrame f : out) {
            try {
                WiegandCard card = decoder.decode(f);
                assertThat(card.cardId()).isNotEmpty();
            } catch (WiegandException e) {
                assertThat(e.reason()).isNotNull();
            }
        }
    }

    @Property(tries = 1000)
    void parity_valid_frames_round_trip_through_encoder_assembler_and_decoder(@ForAll("fixedFormats") WiegandFormat format,
                                                                              @ForAll @IntRange(min = 0, max = 65535) int facility,
                                                                              @ForAll @IntRange(min = 0, max = 65535) int card,
                                                                              @ForAll @IntRange(min = 250_000, max = 2_000_000) int spacing) throws Exception {
        int fc = facility % (format.maxFacilityCode() + 1);
        WiegandFrame frame = WiegandEncoder.card(format, fc, card);
        List<WiegandFrame> out = new ArrayList<>();
        WiegandAssembler assembler = new WiegandAssembler(WiegandTiming.DEFAULTS, out::add);
        long t = 0;
        for (int i = 0; i < frame.bitCount(); i++) {
            assembler.onPulse(frame.bit(i), t += spacing);
        }
        assembler.poll(t + 25_000_000L);
        assertThat(out).containsExactly(frame);
        WiegandCard decoded = format.decode(out.get(0), UidByteOrder.AS_SENT);
        assertThat(decoded.facilityCode()).hasValue(fc);
        assertThat(decoded.cardNumber()).hasValue(card);
        assertThat(WiegandFrame.ofBits(frame.bitString())).isEqualTo(frame);
    }

    @Property(tries = 500)
    void raw_uids_round_trip_in_both_byte_orders(@ForAll @Size(min = 1, max = 8) byte[] uid) throws Exception {
        for (UidByteOrder order : UidByteOrder.values()) {
            WiegandFrame frame = WiegandEncoder.uid(uid, order);
            assertThat(WiegandFormat.RAW.decode(frame, order).cardId())
                    .isEqualTo(java.util.HexFormat.of().withUpperCase().formatHex(uid));
        }
    }

    /**
     * Each parity bit covers one half of the frame (itself included), and every bit lies in exactly
     * one half, so flipping any single bit makes exactly one half's parity wrong: the decoder must
     * refuse the frame, naming the half the flipped bit lies in. The fields then cannot be misread.
     */
    @Property(tries = 1000)
    void every_single_bit_flip_is_caught_by_the_parity_of_its_half(@ForAll("fixedFormats") WiegandFormat format,
                                                                   @ForAll @IntRange(min = 0, max = 65535) int facility,
                                                                   @ForAll @IntRange(min = 0, max = 65535) int card) {
        WiegandFrame frame = WiegandEncoder.card(format, facility % (format.maxFacilityCode() + 1), card);
        int half = frame.bitCount() / 2;
        for (int i = 0; i < frame.bitCount(); i++) {
            WiegandFrame flipped = frame.withBitFlipped(i);
            WiegandException.Reason expected = i < half ? WiegandException.Reason.EVEN_PARITY : WiegandException.Reason.ODD_PARITY;
            try {
                format.decode(flipped, UidByteOrder.AS_SENT);
                throw new AssertionError("flip of bit " + i + " of " + frame + " went undetected");
            } catch (WiegandException e) {
                assertThat(e.reason()).as("bit %d", i).isEqualTo(expected);
            }
        }
    }

    /** Two flips in the same half cancel out: parity cannot see them, so the fields change. That is its limit. */
    @Property(tries = 300)
    void two_flips_in_one_half_pass_parity_and_change_the_fields(@ForAll @IntRange(min = 1, max = 11) int a,
                                                                 @ForAll @IntRange(min = 1, max = 11) int b,
                                                                 @ForAll @IntRange(min = 0, max = 255) int facility,
                                                                 @ForAll @IntRange(min = 0, max = 65535) int card) throws Exception {
        Assume.that(a != b);
        WiegandFrame frame = WiegandEncoder.card(WiegandFormat.H10301, facility, card).withBitFlipped(a).withBitFlipped(b);
        WiegandCard decoded = WiegandFormat.H10301.decode(frame, UidByteOrder.AS_SENT);
        assertThat(decoded.facilityCode().getAsInt() != facility || decoded.cardNumber().getAsInt() != card).isTrue();
    }
}
