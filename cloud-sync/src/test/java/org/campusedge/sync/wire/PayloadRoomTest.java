package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadRoomTest {

    @Test
    void takes_the_top_level_room_string_wherever_it_stands() {
        assertThat(PayloadRoom.of("{\"room\":\"studio-1\",\"card\":\"0A\"}")).isEqualTo("studio-1");
        assertThat(PayloadRoom.of("{\"reader\":{\"room\":\"nested\"},\"list\":[{\"room\":\"x\"}],\"room\":\"maker-2\"}")).isEqualTo("maker-2");
        assertThat(PayloadRoom.of("{ \"room\" : \"录音室\\u0031\" }")).isEqualTo("录音室1");
    }

    @Test
    void no_room_for_other_shapes_and_never_throws() {
        assertThat(PayloadRoom.of("{\"card\":\"0A\"}")).isNull();
        assertThat(PayloadRoom.of("{\"deep\":{\"room\":\"studio-1\"}}")).isNull();
        assertThat(PayloadRoom.of("{\"room\":7}")).isNull();
        assertThat(PayloadRoom.of("{\"room\":null}")).isNull();
        assertThat(PayloadRoom.of("[\"room\"]")).isNull();
        assertThat(PayloadRoom.of("{\"room\":")).isNull();
        assertThat(PayloadRoom.of("not json \"room\"")).isNull();
    }

    @Test
    void finds_a_room_whose_name_is_spelt_with_escapes() {
        assertThat(PayloadRoom.of("{\"r\\u006fom\":\"lab-1\"}")).isEqualTo("lab-1");
        assertThat(PayloadRoom.of("{\"r\\u006fomy\":\"lab-1\"}")).isNull();
    }
}
