package org.campusedge.sync.center;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    @Test
    void allows_the_burst_then_says_how_long_until_the_next_token() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("box-1")).isEmpty();
        }
        assertThat(limiter.acquire("box-1")).contains(Duration.ofMillis(500));
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(limiter.acquire("box-1")).contains(Duration.ofMillis(250));
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(limiter.acquire("box-1")).isEmpty();
    }

    @Test
    void devices_have_their_own_buckets_and_refills_stop_at_the_burst() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("box-1");
        }
        assertThat(limiter.acquire("box-2")).isEmpty();
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("box-1")).isEmpty();
        }
        assertThat(limiter.acquire("box-1")).isNotEqualTo(Optional.empty());
    }
}
