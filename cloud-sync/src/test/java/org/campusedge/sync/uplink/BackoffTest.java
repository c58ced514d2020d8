package org.campusedge.sync.uplink;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void delays_stay_between_min_and_a_ceiling_that_doubles_up_to_max() {
        Backoff backoff = new Backoff(MIN, MAX, new Random(42));

        for (int n = 1; n <= 40; n++) {
            Duration d = backoff.next();
            long ceiling = Math.min(MAX.toMillis(), MIN.toMillis() << Math.min(n - 1, 30));
            assertThat(d).as("failure %d", n).isBetween(MIN, Duration.ofMillis(ceiling));
            assertThat(backoff.current()).isEqualTo(d);
        }
        assertThat(backoff.failures()).isEqualTo(40);
    }

    @Test
    void first_delay_is_min_and_jitter_spreads_later_ones() {
        Backoff a = new Backoff(MIN, MAX, new Random(1));
        Backoff b = new Backoff(MIN, MAX, new Random(2));

        assertThat(a.next()).isEqualTo(MIN);
        assertThat(b.next()).isEqualTo(MIN);
        for (int i = 0; i < 6; i++) {
            a.next();
            b.next();
        }
        assertThat(a.next()).isNotEqualTo(b.next());
    }

    @Test
    void reaches_max_when_the_random_draw_is_at_the_top() {
        Random top = new Random() {
            private static final long serialVersionUID = 1L;

            @Override
            public double nextDouble() {
                return 0.999_999_999_9;
            }
        };
        Backoff backoff = new Backoff(MIN, MAX, top);
        Duration d = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            d = backoff.next();
        }
        assertThat(d).isEqualTo(MAX);
    }

    @Test
    void reset_starts_again_from_min() {
        Backoff backoff = new Backoff(MIN, MAX, new Random(7));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();

        assertThat(backoff.current()).isZero();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next()).isEqualTo(MIN);
    }

    @Test
    void rejects_min_above_max_and_non_positive_min() {
        assertThatThrownBy(() -> new Backoff(MAX, MIN, new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX, new Random())).isInstanceOf(IllegalArgumentException.class);
    }
}
