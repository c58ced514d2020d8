package org.campusedge.agent.auth;

import org.campusedge.agent.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(2));

    @Test
    void ids_and_csrf_tokens_are_256_random_bits_and_distinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Sessions.Session s = sessions.create("alice", Role.VIEWER);
            assertThat(s.id()).matches("[A-Za-z0-9_-]{43}");
            assertThat(s.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(s.id());
            assertThat(seen.add(s.id())).isTrue();
            assertThat(seen.add(s.csrfToken())).isTrue();
        }
    }

    @Test
    void a_session_ends_after_the_idle_time_without_requests() {
        Sessions.Session s = sessions.create("alice", Role.MANAGER);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).as("used within the idle time").isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).as("the idle clock restarted").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.size()).as("removed when met").isZero();
    }

    @Test
    void a_session_ends_at_its_absolute_limit_however_busy() {
        Sessions.Session s = sessions.create("alice", Role.MANAGER);
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(s.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void removal_and_csrf_comparison() {
        Sessions.Session s = sessions.create("alice", Role.VIEWER);
        assertThat(s.csrfMatches(s.csrfToken())).isTrue();
        assertThat(s.csrfMatches(s.csrfToken() + "x")).isFalse();
        assertThat(s.csrfMatches(null)).isFalse();
        assertThat(sessions.remove(s.id())).isTrue();
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(s.toString()).doesNotContain(s.id()).doesNotContain(s.csrfToken());
    }

    @Test
    void creating_sweeps_expired_sessions() {
        sessions.create("alice", Role.VIEWER);
        sessions.create("bob", Role.VIEWER);
        clock.advance(Duration.ofHours(3));
        sessions.create("carol", Role.VIEWER);
        assertThat(sessions.size()).isEqualTo(1);
    }
}
