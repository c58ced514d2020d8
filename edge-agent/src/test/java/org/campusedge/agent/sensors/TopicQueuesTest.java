package org.campusedge.agent.sensors;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TopicQueuesTest {

    private static TopicQueues.Inbound msg(String topic, int n) {
        return new TopicQueues.Inbound(topic, new byte[] {(byte) n}, Instant.EPOCH);
    }

    private static List<String> drain(TopicQueues q) throws InterruptedException {
        List<String> out = new ArrayList<>();
        TopicQueues.Inbound m;
        while ((m = q.poll(0, TimeUnit.MILLISECONDS)) != null) {
            out.add(m.topic() + ":" + m.payload()[0]);
        }
        return out;
    }

    @Test
    void a_flooding_topic_drops_its_own_oldest_messages_and_does_not_delay_others() throws Exception {
        TopicQueues q = new TopicQueues(3, 100);
        for (int i = 0; i < 50; i++) {
            q.offer(msg("flood", i));
        }
        q.offer(msg("quiet", 1));
        assertThat(q.dropped()).isEqualTo(47);
        // Round-robin: the quiet topic is served second, not after the flood.
        assertThat(drain(q)).containsExactly("flood:47", "quiet:1", "flood:48", "flood:49");
    }

    @Test
    void when_the_whole_queue_is_full_a_new_topic_is_rejected_and_counted() throws Exception {
        TopicQueues q = new TopicQueues(2, 2);
        q.offer(msg("a", 1));
        q.offer(msg("a", 2));
        assertThat(q.offer(msg("b", 1))).isFalse();
        assertThat(q.offer(msg("a", 3))).isTrue();
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(drain(q)).containsExactly("a:2", "a:3");
        assertThat(q.size()).isZero();
    }

    @Test
    void poll_waits_at_most_the_timeout() throws Exception {
        TopicQueues q = new TopicQueues(1, 1);
        long start = System.nanoTime();
        assertThat(q.poll(50, TimeUnit.MILLISECONDS)).isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void drain_takes_several_messages_at_once_still_topic_by_topic() throws Exception {
        TopicQueues q = new TopicQueues(10, 100);
        for (int i = 0; i < 3; i++) {
            q.offer(new TopicQueues.Inbound("a", new byte[] {(byte) i}, java.time.Instant.EPOCH));
            q.offer(new TopicQueues.Inbound("b", new byte[] {(byte) i}, java.time.Instant.EPOCH));
        }
        java.util.List<TopicQueues.Inbound> out = new java.util.ArrayList<>();
        assertThat(q.drainTo(out, 4, 0, TimeUnit.MILLISECONDS)).isEqualTo(4);
        assertThat(out).extracting(TopicQueues.Inbound::topic).containsExactly("a", "b", "a", "b");
        assertThat(q.drainTo(out, 10, 0, TimeUnit.MILLISECONDS)).isEqualTo(2);
        assertThat(q.drainTo(out, 10, 10, TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void a_topic_emptied_and_fed_again_is_served_again_in_turn() throws Exception {
        TopicQueues q = new TopicQueues(10, 100);
        q.offer(msg("a", 1));
        assertThat(drain(q)).containsExactly("a:1");
        q.offer(msg("b", 1));
        q.offer(msg("a", 2));
        q.offer(msg("a", 3));
        q.offer(msg("b", 2));
        assertThat(drain(q)).containsExactly("b:1", "a:2", "b:2", "a:3");
        assertThat(q.size()).isZero();
    }

    @Test
    void empty_queues_of_a_flood_of_distinct_topics_are_let_go() throws Exception {
        TopicQueues q = new TopicQueues(4, 16);
        int topics = 5 * TopicQueues.IDLE_TOPICS_KEPT;
        for (int i = 0; i < topics; i++) {
            assertThat(q.offer(msg("flood/" + i, i))).isTrue();
            assertThat(q.poll(0, TimeUnit.MILLISECONDS).topic()).isEqualTo("flood/" + i);
            assertThat(q.topics()).isLessThanOrEqualTo(TopicQueues.IDLE_TOPICS_KEPT);
        }
        // Topics with messages queued are never let go, however many there are.
        TopicQueues full = new TopicQueues(1, 2 * TopicQueues.IDLE_TOPICS_KEPT);
        for (int i = 0; i < 2 * TopicQueues.IDLE_TOPICS_KEPT; i++) {
            full.offer(msg("busy/" + i, i));
        }
        assertThat(full.topics()).isEqualTo(2 * TopicQueues.IDLE_TOPICS_KEPT);
        assertThat(drain(full)).hasSize(2 * TopicQueues.IDLE_TOPICS_KEPT);
    }
}
