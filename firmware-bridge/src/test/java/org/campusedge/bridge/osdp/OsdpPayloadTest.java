package org.campusedge.bridge.osdp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command bodies the ACU builds and reply bodies it parses. */
class OsdpPayloadTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void parses_the_libosdp_pdid_body() throws Exception {
        // libosdp test-cp-fsm.c resp_id body: vendor a1a2a3, model b1, version c1, serial d1d2d3d4 (LSB first), firmware e1 e2 e3.
        OsdpReplies.PdId id = OsdpReplies.pdId(HEX.parseHex("a1a2a3b1c1d1d2d3d4e1e2e3"));
        assertThat(id.vendorOui()).isEqualTo("A1A2A3");
        assertThat(id.model()).isEqualTo(0xB1);
        assertThat(id.version()).isEqualTo(0xC1);
        assertThat(id.serialNumber()).isEqualTo(0xD4D3D2D1L);
        assertThat(id.firmware()).isEqualTo("225.226.227");
    }

    @Test
    void parses_the_libosdp_pdcap_body() throws Exception {
        assertThat(OsdpReplies.pdCap(HEX.parseHex("040401"))).containsExactly(new OsdpReplies.Capability(4, 4, 1));
        assertThatThrownBy(() -> OsdpReplies.pdCap(HEX.parseHex("0404"))).isInstanceOf(OsdpException.class)
                .hasMessageContaining("3-byte entries");
    }

    @Test
    void parses_raw_card_data_and_rejects_a_bit_count_that_does_not_fit() throws Exception {
        OsdpReplies.RawCard raw = OsdpReplies.rawCard(HEX.parseHex("0001" + "1a00" + "01000080"));
        assertThat(raw.reader()).isZero();
        assertThat(raw.format()).isEqualTo(1);
        assertThat(raw.bitCount()).isEqualTo(26);
        assertThat(raw.hex()).isEqualTo("01000080");
        assertThatThrownBy(() -> OsdpReplies.rawCard(HEX.parseHex("0001" + "1a00" + "0100")))
                .isInstanceOf(OsdpException.class).hasMessageContaining("26 bits (4 bytes) but carries 2")
                .satisfies(e -> assertThat(((OsdpException) e).reason()).isEqualTo(OsdpException.Reason.BAD_LENGTH));
        assertThatThrownBy(() -> OsdpReplies.rawCard(new byte[3])).isInstanceOf(OsdpException.class);
    }

    @Test
    void parses_keypad_local_status_nak_and_com() throws Exception {
        assertThat(OsdpReplies.keypad(HEX.parseHex("0004" + "31327f0d")).digits()).isEqualTo("12*#");
        assertThatThrownBy(() -> OsdpReplies.keypad(HEX.parseHex("0003" + "31"))).isInstanceOf(OsdpException.class);
        assertThat(OsdpReplies.localStatus(HEX.parseHex("0100")).tamper()).isTrue();
        assertThat(OsdpReplies.nak(HEX.parseHex("03"))).isEqualTo(OsdpNakCode.UNKNOWN_COMMAND);
        assertThatThrownBy(() -> OsdpReplies.nak(HEX.parseHex("77"))).hasMessageContaining("unknown NAK code 0x77");
        OsdpReplies.ComSettings com = OsdpReplies.com(HEX.parseHex("05" + "00960000"));
        assertThat(com.address()).isEqualTo(5);
        assertThat(com.baud()).isEqualTo(38_400);
    }

    @Test
    void builds_led_buzzer_output_text_comset_and_keyset_bodies() {
        byte[] led = OsdpCommands.led(0, 0, OsdpCommands.Color.GREEN, OsdpCommands.Color.BLACK, Duration.ofMillis(500),
                Duration.ofMillis(200), Duration.ofSeconds(3), OsdpCommands.Color.RED);
        assertThat(led).hasSize(14);
        assertThat(HEX.formatHex(led)).isEqualTo("0000" + "02" + "05" + "02" + "02" + "00" + "1e00" + "01" + "01" + "00" + "01" + "01");
        assertThat(HEX.formatHex(OsdpCommands.buzzer(0, Duration.ofMillis(100), Duration.ofMillis(100), 3))).isEqualTo("0002010103");
        assertThat(HEX.formatHex(OsdpCommands.pulseOutput(0, Duration.ofSeconds(3)))).isEqualTo("00051e00");
        assertThat(HEX.formatHex(OsdpCommands.text(0, 1, 1, "Hi"))).isEqualTo("000100010102" + "4869");
        assertThat(HEX.formatHex(OsdpCommands.comSet(5, 115_200))).isEqualTo("05" + "00c20100");
        assertThat(OsdpCommands.keySet(new byte[16])).hasSize(18).startsWith(0x01, 16);
        assertThatThrownBy(() -> OsdpCommands.comSet(0x7F, 9600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OsdpCommands.pulseOutput(0, Duration.ofHours(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
