package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BacklogHeaderTest {

    private static final Instant T1 = Instant.parse("2025-03-01T08:00:00Z");
    private static final Instant T2 = Instant.parse("2025-02-28T07:00:00.250Z");

    @Test
    void encodes_streams_in_name_order_with_the_oldest_time_only_when_behind() {
        Map<String, Backlog.Stream> streams = new LinkedHashMap<>();
        streams.put("readings", new Backlog.Stream(50_000, Optional.of(T2)));
        streams.put("priority", Backlog.Stream.empty());
        streams.put("aggregates", new Backlog.Stream(12, Optional.of(T1)));

        String header = BacklogHeader.encode(new Backlog(streams));

        assertThat(header).isEqualTo("aggregates=12;2025-03-01T08:00:00Z, priority=0, readings=50000;2025-02-28T07:00:00.250Z");
    }

    @Test
    void decodes_what_it_encodes_and_tolerates_list_whitespace() throws Exception {
        Backlog b = BacklogHeader.decode("  priority=0 ,aggregates=12;2025-03-01T08:00:00Z,  readings=50000;2025-02-28T07:00:00.250Z ");

        assertThat(b.streams()).containsOnlyKeys("aggregates", "priority", "readings");
        assertThat(b.streams().get("readings")).isEqualTo(new Backlog.Stream(50_000, Optional.of(T2)));
        assertThat(b.streams().get("priority")).isEqualTo(Backlog.Stream.empty());
        assertThat(b.totalEvents()).isEqualTo(50_012);
        assertThat(b.oldestUnsentAt()).contains(T2);
        assertThat(BacklogHeader.decode(BacklogHeader.encode(b))).isEqualTo(b);
    }

    @Test
    void a_stream_behind_without_a_time_is_accepted_as_time_unknown() throws Exception {
        Backlog b = BacklogHeader.decode("priority=3");

        assertThat(b.streams().get("priority").oldestUnsentAt()).isEmpty();
        assertThat(b.oldestUnsentAt()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "priority", "=5", "priority=-1", "priority=1.5", "priority=abc", "priority=",
            "priority=10000000000000", "priority=99999999999999999999", "Priority=1", "priority=1;yesterday",
            "priority=0;2025-03-01T08:00:00Z", "priority=1, priority=2", "priority=1,,readings=2"})
    void refuses_garbage_naming_the_header(String value) {
        assertThatThrownBy(() -> BacklogHeader.decode(value))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("CampusEdge-Backlog: ");
    }

    @Test
    void refuses_more_streams_than_a_box_can_have() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= Backlog.MAX_STREAMS; i++) {
            many.append(i == 0 ? "" : ",").append("s").append(i).append("=1");
        }
        assertThatThrownBy(() -> BacklogHeader.decode(many.toString()))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("more than 32 streams");
    }

    @Test
    void the_largest_backlog_is_accepted() throws Exception {
        assertThat(BacklogHeader.decode("readings=" + Backlog.MAX_EVENTS).totalEvents()).isEqualTo(Backlog.MAX_EVENTS);
    }
}
