package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseFramesTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void single_line_event_has_id_event_data_and_a_blank_line() {
        assertThat(text(SseFrames.event("e-7", "room", "{\"id\":\"studio-1\"}")))
                .isEqualTo("id: e-7\nevent: room\ndata: {\"id\":\"studio-1\"}\n\n");
    }

    @Test
    void splits_data_on_lf_crlf_and_cr_into_several_data_lines() {
        assertThat(text(SseFrames.event("1", "m", "a\nb\r\nc\rd")))
                .isEqualTo("id: 1\nevent: m\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void keeps_empty_lines_leading_spaces_and_a_trailing_line_break_in_data() {
        // The client strips exactly one space after "data:", so " x" survives as " x".
        assertThat(text(SseFrames.event("1", "m", " x\n\ny\n")))
                .isEqualTo("id: 1\nevent: m\ndata:  x\ndata: \ndata: y\ndata: \n\n");
        assertThat(text(SseFrames.event("1", "m", ""))).isEqualTo("id: 1\nevent: m\ndata: \n\n");
    }

    @Test
    void encodes_data_as_utf8() {
        assertThat(SseFrames.event("1", "m", "Küche ✓")).containsSubsequence("Küche ✓".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refuses_line_breaks_in_name_and_id_and_nul_in_id() {
        assertThatThrownBy(() -> SseFrames.event("1", "a\nb", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name");
        assertThatThrownBy(() -> SseFrames.event("1\r", "a", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
        assertThatThrownBy(() -> SseFrames.event("1\0", "a", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void comment_and_retry_lines() {
        assertThat(text(SseFrames.comment("ping"))).isEqualTo(": ping\n\n");
        assertThat(text(SseFrames.retry(Duration.ofSeconds(3)))).isEqualTo("retry: 3000\n\n");
    }
}
