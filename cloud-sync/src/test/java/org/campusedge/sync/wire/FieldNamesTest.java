package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldNamesTest {

    @Test
    void a_name_is_new_once_per_object_and_each_level_has_its_own() {
        FieldNames names = new FieldNames();

        names.push();
        assertThat(names.add("a")).isTrue();
        names.push();
        assertThat(names.add("a")).as("same name one level down").isTrue();
        assertThat(names.add(new String("a"))).as("equal, not identical").isFalse();
        names.pop();
        assertThat(names.add("b")).isTrue();
        assertThat(names.add("a")).isFalse();
        names.pop();

        assertThat(names.depth()).isZero();
    }

    @Test
    void a_reused_level_starts_empty() {
        FieldNames names = new FieldNames();
        names.push();
        names.push();
        for (int i = 0; i < 2 * FieldNames.LINEAR; i++) {
            names.add("f" + i);
        }
        names.pop();

        names.push();
        for (int i = 0; i < 2 * FieldNames.LINEAR; i++) {
            assertThat(names.add("f" + i)).as("f%d in the next sibling object", i).isTrue();
        }
        assertThat(names.add("f3")).isFalse();
    }

    @Test
    void finds_duplicates_before_and_past_the_linear_search() {
        FieldNames names = new FieldNames();
        names.push();
        for (int i = 0; i < 5 * FieldNames.LINEAR; i++) {
            assertThat(names.add("f" + i)).isTrue();
        }
        for (int i = 0; i < 5 * FieldNames.LINEAR; i++) {
            assertThat(names.add("f" + i)).as("f%d again", i).isFalse();
        }
    }

    @Test
    void grows_past_its_first_stack_and_refuses_a_name_outside_any_object() {
        FieldNames names = new FieldNames();
        for (int depth = 0; depth < 100; depth++) {
            names.push();
            assertThat(names.add("x")).isTrue();
        }
        assertThat(names.depth()).isEqualTo(100);
        for (int depth = 0; depth < 100; depth++) {
            assertThat(names.add("x")).isFalse();
            names.pop();
        }

        assertThatThrownBy(() -> names.add("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(names::pop).isInstanceOf(IllegalStateException.class);
    }
}
