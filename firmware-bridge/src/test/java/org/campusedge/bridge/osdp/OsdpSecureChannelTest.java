package org.campusedge.bridge.osdp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OsdpSecureChannelTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] CUID = HEX.parseHex("a1a2a3b1c1d1d2d3");

    private final SecureRandom random = new SecureRandom();
    private OsdpSecureChannel acu;
    private OsdpSecureChannel pd;

    @BeforeEach
    void handshake() throws Exception {
        acu = new OsdpSecureChannel(KEY);
        pd = new OsdpSecureChannel(KEY);
        byte[] ccrypt = pd.answerChallenge(acu.challenge(random), CUID, random);
        byte[] scrypt = acu.acceptClientCryptogram(ccrypt);
        byte[] rmacI = pd.answerServerCryptogram(scrypt).orElseThrow();
        acu.acceptInitialReplyMac(rmacI);
    }

    @Test
    void the_aes_primitive_matches_the_fips_197_known_answer() {
        // FIPS-197, Appendix C.1: AES-128 key 000102..0f, plaintext 00112233..ff.
        assertThat(HEX.formatHex(OsdpSecureChannel.aes(KEY, HEX.parseHex("00112233445566778899aabbccddeeff"))))
                .isEqualTo("69c4e0d86a7b0430d8cdb78070b4c55a");
    }

    @Test
    void both_sides_authenticate_each_other_and_establish_a_session() {
        assertThat(acu.established()).isTrue();
        assertThat(pd.established()).isTrue();
        assertThat(acu.usesDefaultKey()).isFalse();
        assertThat(new OsdpSecureChannel(OsdpSecureChannel.SCBK_DEFAULT).usesDefaultKey()).isTrue();
    }

    @Test
    void a_pd_with_another_key_is_not_authenticated() {
        OsdpSecureChannel wrong = new OsdpSecureChannel(OsdpSecureChannel.SCBK_DEFAULT);
        OsdpSecureChannel fresh = new OsdpSecureChannel(KEY);
        byte[] ccrypt = wrong.answerChallenge(fresh.challenge(random), CUID, random);
        assertThatThrownBy(() -> fresh.acceptClientCryptogram(ccrypt))
                .isInstanceOf(OsdpSecureChannel.SecureChannelException.class).hasMessageContaining("different key");
        assertThat(fresh.established()).isFalse();
    }

    @Test
    void commands_and_replies_are_encrypted_maced_and_chained() throws Exception {
        for (int i = 0; i < 5; i++) {
            byte[] led = HEX.parseHex("0000020502020000" + String.format("%02x", i) + "0001010101");
            OsdpPacket sealed = acu.seal(OsdpPacket.command(1, i % 3 + 1, OsdpCommand.LED, led));
            assertThat(sealed.security().orElseThrow().type()).isEqualTo(OsdpSecureChannel.SCS_17);
            assertThat(sealed.data()).hasSize(16).isNotEqualTo(led);
            OsdpPacket wire = roundTrip(sealed);
            assertThat(pd.open(wire).data()).isEqualTo(led);

            OsdpPacket ack = pd.seal(OsdpPacket.reply(1, i % 3 + 1, OsdpReply.ACK, new byte[0]));
            assertThat(ack.security().orElseThrow().type()).isEqualTo(OsdpSecureChannel.SCS_16);
            assertThat(acu.open(roundTrip(ack)).code()).isEqualTo(OsdpReply.ACK.code());
        }
        byte[] raw = HEX.parseHex("00011a0001000080");
        OsdpPacket card = pd.seal(OsdpPacket.reply(1, 1, OsdpReply.RAW, raw));
        assertThat(acu.open(roundTrip(card)).data()).isEqualTo(raw);
    }

    @Test
    void an_altered_packet_is_rejected_and_ends_the_session() throws Exception {
        OsdpPacket sealed = acu.seal(OsdpPacket.command(1, 1, OsdpCommand.BUZ, HEX.parseHex("0002010103")));
        byte[] data = sealed.data();
        data[3] ^= 0x01;
        OsdpPacket altered = new OsdpPacket(1, false, 1, true, sealed.security(), sealed.code(), data, sealed.mac());
        assertThatThrownBy(() -> pd.open(altered)).hasMessageContaining("MAC check failed");
        assertThat(pd.established()).isFalse();
    }

    @Test
    void a_replayed_command_is_rejected() throws Exception {
        OsdpPacket first = acu.seal(OsdpPacket.command(1, 1, OsdpCommand.POLL, new byte[0]));
        pd.open(first);
        pd.seal(OsdpPacket.reply(1, 1, OsdpReply.ACK, new byte[0]));
        assertThatThrownBy(() -> pd.open(first)).hasMessageContaining("MAC check failed");
    }

    @Test
    void a_plaintext_packet_on_a_secure_session_is_a_refused_downgrade() {
        assertThatThrownBy(() -> acu.open(OsdpPacket.reply(1, 1, OsdpReply.RAW, HEX.parseHex("00011a0001000080"))))
                .hasMessageContaining("downgrade refused");
        assertThat(acu.established()).isFalse();
    }

    private static OsdpPacket roundTrip(OsdpPacket p) {
        byte[] wire = OsdpEncoder.encode(p, true);
        java.util.List<OsdpPacket> out = new java.util.ArrayList<>();
        new OsdpDecoder(out::add).feed(wire, 0, wire.length);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void sealing_needs_a_session() {
        OsdpSecureChannel none = new OsdpSecureChannel(KEY);
        assertThatThrownBy(() -> none.seal(OsdpPacket.command(1, 1, OsdpCommand.POLL, new byte[0])))
                .isInstanceOf(IllegalStateException.class);
    }
}
