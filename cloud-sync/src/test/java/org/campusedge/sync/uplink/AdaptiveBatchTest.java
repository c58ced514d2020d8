package org.campusedge.sync.uplink;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdaptiveBatchTest {

    private static final Duration QUICK = Duration.ofMillis(50);

    @Test
    void full_batches_answered_quickly_double_up_to_the_ceiling() {
        AdaptiveBatch b = new AdaptiveBatch(500);
        int[] expected = {1000, 2000, 4000, 8000, 10_000, 10_000};
        for (int e : expected) {
            b.acknowledged(b.size(), QUICK);
            assertThat(b.size()).isEqualTo(e);
        }
    }

    @Test
    void slow_answers_and_failures_halve_but_never_below_one() {
        AdaptiveBatch b = new AdaptiveBatch(400);
        b.acknowledged(400, Duration.ofSeconds(5));
        assertThat(b.size()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            b.failed();
        }
        assertThat(b.size()).isEqualTo(1);
        b.acknowledged(1, QUICK);
        assertThat(b.size()).as("grows back once the center answers").isEqualTo(2);
    }

    @Test
    void a_drained_backlog_returns_towards_the_configured_size() {
        AdaptiveBatch b = new AdaptiveBatch(500);
        b.acknowledged(500, QUICK);
        b.acknowledged(1000, QUICK);
        assertThat(b.size()).isEqualTo(2000);
        b.acknowledged(12, QUICK);
        assertThat(b.size()).isEqualTo(1000);
        b.acknowledged(3, QUICK);
        b.acknowledged(3, QUICK);
        assertThat(b.size()).isEqualTo(500);
    }

    @Test
    void a_413_lowers_the_ceiling_for_good() {
        AdaptiveBatch b = new AdaptiveBatch(4000);
        b.tooLarge();
        assertThat(b.size()).isEqualTo(2000);
        for (int i = 0; i < 5; i++) {
            b.acknowledged(b.size(), QUICK);
        }
        assertThat(b.size()).as("never again as large as what the center refused").isEqualTo(3999);
        assertThatThrownBy(() -> new AdaptiveBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
