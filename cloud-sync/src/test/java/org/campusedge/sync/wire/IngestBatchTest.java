package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestBatchTest {

    private static WireEvent event(long seq) {
        return new WireEvent(seq, "t", Instant.EPOCH, "{}");
    }

    @Test
    void accepts_a_contiguous_batch_and_copies_its_events() {
        List<WireEvent> events = new ArrayList<>(List.of(event(5), event(6), event(7)));
        IngestBatch batch = new IngestBatch("box-1", "priority", 5, 7, events);
        events.clear();

        assertThat(batch.size()).isEqualTo(3);
        assertThat(IngestBatch.of("box-1", "priority", batch.events())).isEqualTo(batch);
    }

    @Test
    void rejects_an_empty_batch() {
        assertThatThrownBy(() -> new IngestBatch("box-1", "s", 1, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> IngestBatch.of("box-1", "s", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_seqs_that_are_not_exactly_from_to() {
        assertThatThrownBy(() -> new IngestBatch("box-1", "s", 1, 3, List.of(event(1), event(2))))
                .hasMessageContaining("1..3").hasMessageContaining("2 events");
        assertThatThrownBy(() -> new IngestBatch("box-1", "s", 1, 2, List.of(event(2), event(1))))
                .hasMessageContaining("events[0] has seq 2, expected 1");
        assertThatThrownBy(() -> new IngestBatch("box-1", "s", 1, 2, List.of(event(1), event(1))))
                .hasMessageContaining("events[1] has seq 1, expected 2");
        assertThatThrownBy(() -> new IngestBatch("box-1", "s", 0, 0, List.of(event(1))))
                .hasMessageContaining("fromSeq must be >= 1");
    }

    @Test
    void rejects_bad_stream_names_and_device_ids() {
        List<WireEvent> one = List.of(event(1));
        for (String bad : new String[] {"Priority", "1st", "", "a b", "a".repeat(33), "ünï"}) {
            assertThatThrownBy(() -> new IngestBatch("box-1", bad, 1, 1, one))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream must match");
        }
        assertThat(new IngestBatch("box-1", "a".repeat(32), 1, 1, one).stream()).hasSize(32);
        assertThat(new IngestBatch("box-1", "sensor_min-1", 1, 1, one).stream()).isEqualTo("sensor_min-1");
        assertThatThrownBy(() -> new IngestBatch("../etc", "s", 1, 1, one)).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> new IngestBatch(null, "s", 1, 1, one)).hasMessageContaining("deviceId");
    }

    @Test
    void events_after_a_seq_are_the_batch_tail_whatever_the_seq() {
        IngestBatch batch = IngestBatch.of("box-1", "priority", List.of(event(5), event(6), event(7)));

        assertThat(batch.eventsAfter(0)).extracting(WireEvent::seq).containsExactly(5L, 6L, 7L);
        assertThat(batch.eventsAfter(4)).extracting(WireEvent::seq).containsExactly(5L, 6L, 7L);
        assertThat(batch.eventsAfter(5)).extracting(WireEvent::seq).containsExactly(6L, 7L);
        assertThat(batch.eventsAfter(7)).isEmpty();
        assertThat(batch.eventsAfter(Long.MAX_VALUE)).isEmpty();
    }
}
