package org.campusedge.bridge.osdp;

import org.campusedge.bridge.CardRead;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OsdpCardDataTest {

    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    private static Optional<CardRead> read(int format, int bits, String hex) {
        return OsdpCardData.toCardRead("door", new OsdpReplies.RawCard(0, format, bits, HexFormat.of().parseHex(hex)), NOW);
    }

    @Test
    void wiegand_26_bit_data_is_decoded_to_its_card_number() {
        // H10301 facility 1, card 1: bits 1 00000001 0000000000000001 0, left-aligned in 4 bytes.
        CardRead r = read(1, 26, "80800080").orElseThrow();
        assertThat(r.format()).isEqualTo("H10301");
        assertThat(r.cardId()).isEqualTo("1");
        assertThat(r.rawHex()).isEqualTo("2020002");
        assertThat(r.bitCount()).isEqualTo(26);
        assertThat(r.facilityCode()).hasValue(1);
    }

    @Test
    void formatted_card_data_is_taken_as_its_characters() {
        // osdp_FMT: reader 0, direction 0, 8 characters.
        CardRead r = OsdpCardData.formatted("door", "\0\0\u000800123456".getBytes(java.nio.charset.StandardCharsets.US_ASCII), NOW)
                .orElseThrow();
        assertThat(r.format()).isEqualTo("FMT");
        assertThat(r.cardId()).isEqualTo("00123456");
        assertThat(OsdpCardData.formatted("door", new byte[] {0, 0, 5, '1'}, NOW)).as("count does not match").isEmpty();
    }

    @Test
    void wiegand_data_with_a_parity_error_is_refused() {
        // The same frame with its trailing odd-parity bit flipped.
        assertThat(read(1, 26, "808000C0")).isEmpty();
    }

    @Test
    void other_data_is_kept_as_raw_hex() {
        CardRead r = read(0, 56, "047BCB51962280").orElseThrow();
        assertThat(r.format()).isEqualTo("RAW-56");
        assertThat(r.cardId()).isEqualTo("047BCB51962280");
    }
}
