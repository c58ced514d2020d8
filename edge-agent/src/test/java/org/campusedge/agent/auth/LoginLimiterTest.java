package org.campusedge.agent.auth;

import org.campusedge.agent.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginLimiterTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final LoginLimiter limiter = new LoginLimiter(clock, Duration.ofMinutes(15), 10, 3);

    @Test
    void blocks_an_account_after_its_limit_until_the_window_ends() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked("10.0.0.1", "alice")).isEmpty();
            limiter.failed("10.0.0.1", "alice");
        }
        assertThat(limiter.blocked("10.0.0.2", "alice")).as("from any address").hasValue(Duration.ofMinutes(15));
        assertThat(limiter.blocked("10.0.0.1", "bob")).as("others from that address").isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(limiter.blocked("10.0.0.2", "alice")).hasValue(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.blocked("10.0.0.2", "alice")).isEmpty();
        limiter.failed("10.0.0.1", "alice");
        assertThat(limiter.blocked("10.0.0.1", "alice")).as("a new window counts from one").isEmpty();
    }

    @Test
    void blocks_an_address_trying_many_names_and_success_does_not_clear_it() {
        for (int i = 0; i < 10; i++) {
            limiter.failed("10.0.0.9", "user-" + i);
        }
        limiter.succeeded("user-1");
        assertThat(limiter.blocked("10.0.0.9", "someone")).isPresent();
        assertThat(limiter.blocked("10.0.0.8", "someone")).isEmpty();
    }

    @Test
    void success_clears_the_account_count() {
        limiter.failed("10.0.0.1", "alice");
        limiter.failed("10.0.0.1", "alice");
        limiter.succeeded("alice");
        limiter.failed("10.0.0.1", "alice");
        limiter.failed("10.0.0.1", "alice");
        assertThat(limiter.blocked("10.0.0.1", "alice")).isEmpty();
    }

    @Test
    void memory_stays_bounded_under_a_flood_of_names() {
        for (int i = 0; i < LoginLimiter.MAX_KEYS + 100; i++) {
            limiter.failed("10.0.0." + (i % 200), "name-" + i);
        }
        assertThat(limiter.blocked("10.0.0.1", "fresh-name")).as("the overflow bucket is over its limit").isPresent();
        clock.advance(Duration.ofMinutes(16));
        limiter.failed("10.0.0.1", "after-the-window");
        assertThat(limiter.blocked("10.0.0.1", "fresh-name")).as("swept once the window is over").isEmpty();
    }
}
