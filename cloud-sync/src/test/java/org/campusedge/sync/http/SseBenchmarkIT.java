package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@link SseBenchmark} briefly: prints the figures, asserts only that delivery was correct. */
class SseBenchmarkIT {

    @Test
    void twenty_clients_get_ordered_sequences_coalesced_only_by_room() throws Exception {
        SseBenchmark.Result r = SseBenchmark.flood(20, Duration.ofSeconds(3));
        System.out.println("SSE benchmark " + r);
        assertThat(r.violations()).isEmpty();
        assertThat(r.delivered()).isPositive();
    }

    @Test
    void twenty_clients_get_every_tap_at_two_thousand_per_second() throws Exception {
        SseBenchmark.Result r = SseBenchmark.paced(20, Duration.ofSeconds(3), 2_000);
        System.out.println("SSE benchmark " + r);
        assertThat(r.violations()).isEmpty();
        assertThat(r.delivered()).isEqualTo(20 * r.published());
        assertThat(r.coalesced()).isZero();
    }
}
