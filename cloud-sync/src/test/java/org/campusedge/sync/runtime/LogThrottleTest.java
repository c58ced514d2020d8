package org.campusedge.sync.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LogThrottleTest {

    @Test
    void lets_the_first_line_through_then_counts_suppressed_lines_until_the_interval_passes() {
        AtomicLong now = new AtomicLong(1_000);
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(1), now::get);

        assertThat(throttle.acquire()).isEqualTo(OptionalLong.of(0));
        assertThat(throttle.acquire()).isEmpty();
        now.addAndGet(500_000_000);
        assertThat(throttle.acquire()).isEmpty();
        now.addAndGet(500_000_000);
        assertThat(throttle.acquire()).isEqualTo(OptionalLong.of(2));
        assertThat(throttle.acquire()).isEmpty();
    }
}
