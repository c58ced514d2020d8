package org.campusedge.agent.privacy;

import org.campusedge.sync.uplink.Outbox;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CardPseudonymiserTest {

    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void hmac_sha256_matches_rfc_4231_test_case_2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        byte[] mac = CardPseudonymiser.mac(CardPseudonymiser.keySpec("Jefe".getBytes(StandardCharsets.US_ASCII)),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void a_pseudonym_is_stable_keyed_and_never_hashed_twice() {
        CardPseudonymiser p = new CardPseudonymiser(KEY, Set.of("card"));
        String a = p.pseudonym("0A00D6E3F2");
        assertThat(a).startsWith("hk1:").hasSize(4 + 43).isEqualTo(p.pseudonym("0A00D6E3F2"));
        assertThat(p.pseudonym("0A00D6E3F3")).isNotEqualTo(a);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new CardPseudonymiser(other, Set.of("card")).pseudonym("0A00D6E3F2")).isNotEqualTo(a);
        assertThat(p.pseudonym(a)).isEqualTo(a);
        assertThatThrownBy(() -> new CardPseudonymiser(new byte[16], Set.of("card"))).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void the_outbox_replaces_only_the_configured_fields_of_what_leaves() {
        CardPseudonymiser p = new CardPseudonymiser(KEY, Set.of("card"));
        WireEvent tap = new WireEvent(7, "access.decision", Instant.EPOCH,
                "{\"reader\":\"studio-door\",\"card\":\"0A00D6E3F2\",\"granted\":true,\"person\":\"S-0117\"}");
        WireEvent reading = new WireEvent(8, "sensor.reading", Instant.EPOCH, "{\"room\":\"maker-1\",\"value\":21.5}");
        Outbox inner = new Outbox() {
            @Override
            public List<String> streams() {
                return List.of("priority");
            }

            @Override
            public long ackedSeq(String stream) {
                return 0;
            }

            @Override
            public long lastSeq(String stream) {
                return 8;
            }

            @Override
            public List<WireEvent> after(String stream, long afterSeq, int max) {
                return List.of(tap, reading);
            }

            @Override
            public void acknowledge(String stream, long seq) {
            }
        };
        List<WireEvent> out = new PseudonymisingOutbox(inner, p).after("priority", 0, 10);
        assertThat(out.get(0).payloadJson()).doesNotContain("0A00D6E3F2").contains("\"card\":\"" + p.pseudonym("0A00D6E3F2") + "\"")
                .contains("\"person\":\"S-0117\"").contains("\"reader\":\"studio-door\"");
        assertThat(out.get(0).seq()).isEqualTo(7);
        assertThat(out.get(1)).isSameAs(reading);
        assertThat(new PseudonymisingOutbox(inner, new CardPseudonymiser(KEY, Set.of("card", "person"))).after("priority", 0, 10)
                .get(0).payloadJson()).doesNotContain("S-0117");
    }
}
