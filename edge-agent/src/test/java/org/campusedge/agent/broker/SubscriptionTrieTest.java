package org.campusedge.agent.broker;

import org.campusedge.agent.sensors.TopicFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTrieTest {

    private final SubscriptionTrie trie = new SubscriptionTrie();

    private void sub(String filter, String client, int qos) {
        trie.subscribe(TopicFilter.of(filter), client, qos);
    }

    @Test
    void exact_plus_and_hash_filters_match_as_the_spec_examples_say() {
        // Examples from OASIS MQTT 3.1.1, section 4.7.1.
        sub("sport/tennis/player1/#", "a", 0);
        sub("sport/+", "b", 0);
        sub("+/+", "c", 0);
        sub("/+", "d", 0);
        sub("sport/tennis/+", "e", 0);
        assertThat(trie.match("sport/tennis/player1")).containsOnlyKeys("a", "e");
        assertThat(trie.match("sport/tennis/player1/ranking")).containsOnlyKeys("a");
        assertThat(trie.match("sport")).isEmpty();
        assertThat(trie.match("sport/")).containsOnlyKeys("b", "c");
        assertThat(trie.match("/finance")).containsOnlyKeys("c", "d");
    }

    @Test
    void hash_matches_the_parent_level_too() {
        sub("sport/#", "a", 1);
        assertThat(trie.match("sport")).containsOnlyKeys("a");
        assertThat(trie.match("sports")).isEmpty();
    }

    @Test
    void leading_wildcards_do_not_match_dollar_topics() {
        sub("#", "all", 0);
        sub("+/monitor/Clients", "plus", 0);
        sub("$SYS/#", "sys", 0);
        sub("$SYS/monitor/+", "sysplus", 0);
        assertThat(trie.match("$SYS/monitor/Clients")).containsOnlyKeys("sys", "sysplus");
        assertThat(trie.match("a/monitor/Clients")).containsOnlyKeys("all", "plus");
    }

    @Test
    void a_client_matching_twice_gets_one_copy_at_the_highest_qos() {
        sub("a/+", "x", 0);
        sub("a/#", "x", 2);
        sub("a/b", "x", 1);
        assertThat(trie.match("a/b")).isEqualTo(Map.of("x", 2));
    }

    @Test
    void resubscribing_replaces_and_unsubscribing_prunes() {
        sub("a/b", "x", 0);
        sub("a/b", "x", 2);
        assertThat(trie.size()).isEqualTo(1);
        assertThat(trie.match("a/b")).isEqualTo(Map.of("x", 2));
        assertThat(trie.unsubscribe(TopicFilter.of("a/b"), "x")).isTrue();
        assertThat(trie.unsubscribe(TopicFilter.of("a/b"), "x")).isFalse();
        assertThat(trie.size()).isZero();
        assertThat(trie.match("a/b")).isEmpty();
    }

    @Test
    void agrees_with_TopicFilter_on_random_filters_and_topics() {
        Random random = new Random(42);
        String[] words = {"a", "b", "", "$x", "c"};
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            filters.add(randomPath(random, words, true));
        }
        for (int i = 0; i < filters.size(); i++) {
            sub(filters.get(i), "c" + i, 0);
        }
        for (int t = 0; t < 2_000; t++) {
            String topic = randomPath(random, words, false);
            Map<String, Integer> expected = new TreeMap<>();
            for (int i = 0; i < filters.size(); i++) {
                if (TopicFilter.of(filters.get(i)).matches(topic)) {
                    expected.put("c" + i, 0);
                }
            }
            assertThat(new TreeMap<>(trie.match(topic))).as("topic %s", topic).isEqualTo(expected);
        }
    }

    private static String randomPath(Random random, String[] words, boolean wildcards) {
        int levels = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int pick = random.nextInt(words.length + (wildcards ? 2 : 0));
            if (pick < words.length) {
                sb.append(words[pick]);
            } else if (pick == words.length || i < levels - 1) {
                sb.append('+');
            } else {
                sb.append('#');
            }
        }
        String s = sb.toString();
        return s.isEmpty() ? "a" : s;
    }

    @Test
    void stays_fast_with_thousands_of_topics_and_subscribers() {
        for (int room = 0; room < 2_000; room++) {
            for (int client = 0; client < 5; client++) {
                sub("school/room" + room + "/sensor" + client + "/+", "client" + room + "-" + client, 1);
            }
        }
        sub("school/#", "dashboard", 0);
        sub("school/+/sensor0/temperature", "alarms", 1);
        assertThat(trie.size()).isEqualTo(10_002);
        int matched = 0;
        for (int i = 0; i < 100_000; i++) {
            matched += trie.match("school/room" + (i % 2_000) + "/sensor0/temperature").size();
        }
        assertThat(matched).isEqualTo(300_000);
    }
}
