package org.campusedge.sync.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseQueueTest {

    private static SseQueue.Encoded event(long seq, String key) {
        return new SseQueue.Encoded(new SseEvent(seq, "e-" + seq, "x", key, "{}"), new byte[0]);
    }

    private static long[] seqs(SseQueue q) {
        return q.take(Integer.MAX_VALUE).stream().mapToLong(e -> e.event().seq()).toArray();
    }

    @Test
    void keeps_order_of_unkeyed_events() {
        SseQueue q = new SseQueue(8);
        for (long i = 1; i <= 5; i++) {
            assertThat(q.offer(event(i, null))).isEqualTo(SseQueue.Offer.QUEUED);
        }
        assertThat(q.take(2)).extracting(e -> e.event().seq()).containsExactly(1L, 2L);
        assertThat(seqs(q)).containsExactly(3, 4, 5);
    }

    @Test
    void newer_event_with_the_same_key_replaces_the_waiting_one_and_moves_to_the_tail() {
        SseQueue q = new SseQueue(8);
        q.offer(event(1, "room/a"));
        q.offer(event(2, "room/b"));
        q.offer(event(3, null));
        assertThat(q.offer(event(4, "room/a"))).isEqualTo(SseQueue.Offer.COALESCED);
        assertThat(seqs(q)).containsExactly(2, 3, 4);
    }

    @Test
    void a_key_already_sent_is_queued_again() {
        SseQueue q = new SseQueue(8);
        q.offer(event(1, "room/a"));
        q.take(1);
        assertThat(q.offer(event(2, "room/a"))).isEqualTo(SseQueue.Offer.QUEUED);
    }

    @Test
    void full_queue_still_coalesces_keyed_events_but_overflows_on_new_ones() {
        SseQueue q = new SseQueue(2);
        q.offer(event(1, "room/a"));
        q.offer(event(2, null));
        assertThat(q.offer(event(3, "room/a"))).isEqualTo(SseQueue.Offer.COALESCED);
        assertThat(q.offer(event(4, "room/b"))).isEqualTo(SseQueue.Offer.OVERFLOW);
        assertThat(q.offer(event(5, null))).isEqualTo(SseQueue.Offer.OVERFLOW);
        assertThat(seqs(q)).containsExactly(2, 3);
    }
}
