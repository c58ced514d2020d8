package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomFieldTest {

    @Test
    void takes_the_top_level_room_string_wherever_it_stands() {
        assertThat(RoomField.of("{\"room\":\"studio-1\",\"card\":\"0A\"}")).isEqualTo("studio-1");
        assertThat(RoomField.of("{\"reader\":{\"room\":\"nested\"},\"list\":[{\"room\":\"x\"}],\"room\":\"maker-2\"}")).isEqualTo("maker-2");
        assertThat(RoomField.of("{ \"room\" : \"录音室\\u0031\" }")).isEqualTo("录音室1");
    }

    @Test
    void no_room_for_other_shapes_and_never_throws() {
        assertThat(RoomField.of("{\"card\":\"0A\"}")).isNull();
        assertThat(RoomField.of("{\"deep\":{\"room\":\"studio-1\"}}")).isNull();
        assertThat(RoomField.of("{\"room\":7}")).isNull();
        assertThat(RoomField.of("{\"room\":null}")).isNull();
        assertThat(RoomField.of("[\"room\"]")).isNull();
        assertThat(RoomField.of("{\"room\":")).isNull();
        assertThat(RoomField.of("not json \"room\"")).isNull();
    }
}
