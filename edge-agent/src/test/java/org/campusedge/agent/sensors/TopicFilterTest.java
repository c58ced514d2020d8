package org.campusedge.agent.sensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Examples quoted from OASIS MQTT Version 3.1.1, section 4.7 (Topic Names and Topic Filters). */
class TopicFilterTest {

    private static boolean matches(String filter, String topic) {
        return TopicFilter.of(filter).matches(topic);
    }

    @Test
    void multi_level_wildcard_matches_the_parent_and_every_descendant() {
        // 4.7.1.2: "sport/tennis/player1/#" would match "sport/tennis/player1",
        // "sport/tennis/player1/ranking" and "sport/tennis/player1/score/wimbledon".
        assertThat(matches("sport/tennis/player1/#", "sport/tennis/player1")).isTrue();
        assertThat(matches("sport/tennis/player1/#", "sport/tennis/player1/ranking")).isTrue();
        assertThat(matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon")).isTrue();
        // 4.7.1.2: "sport/#" also matches the singular "sport", since # includes the parent level.
        assertThat(matches("sport/#", "sport")).isTrue();
        // 4.7.1.2: "#" is valid and will receive every Application Message.
        assertThat(matches("#", "a/b/c")).isTrue();
        assertThat(matches("sport/tennis/player1/#", "sport/tennis/player2")).isFalse();
    }

    @ParameterizedTest
    // 4.7.1.2: "sport/tennis#" and "sport/tennis/#/ranking" are not valid;
    // 4.7.1.3: "sport+" is not valid. Also: empty filters (4.7.3) and wildcards inside a level.
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "sport+", "", "a/b+c", "#/a", "a/##", "a/\u0000"})
    void rejects_invalid_filters(String filter) {
        assertThatThrownBy(() -> TopicFilter.of(filter)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    // 4.7.1.3: "+" is valid, "+/tennis/#" is valid, "sport/+/player1" is valid.
    @ValueSource(strings = {"+", "+/tennis/#", "sport/+/player1", "/", "//", "$SYS/#"})
    void accepts_valid_filters(String filter) {
        assertThat(TopicFilter.of(filter).filter()).isEqualTo(filter);
    }

    @Test
    void single_level_wildcard_matches_exactly_one_level() {
        // 4.7.1.3: "sport/tennis/+" matches "sport/tennis/player1" and "sport/tennis/player2",
        // but not "sport/tennis/player1/ranking".
        assertThat(matches("sport/tennis/+", "sport/tennis/player1")).isTrue();
        assertThat(matches("sport/tennis/+", "sport/tennis/player2")).isTrue();
        assertThat(matches("sport/tennis/+", "sport/tennis/player1/ranking")).isFalse();
        // 4.7.1.3: "sport/+" does not match "sport" but does match "sport/".
        assertThat(matches("sport/+", "sport")).isFalse();
        assertThat(matches("sport/+", "sport/")).isTrue();
        // 4.7.1.3: "+/+" and "/+" match "/finance"; "+" does not.
        assertThat(matches("+/+", "/finance")).isTrue();
        assertThat(matches("/+", "/finance")).isTrue();
        assertThat(matches("+", "/finance")).isFalse();
    }

    @Test
    void filters_starting_with_a_wildcard_do_not_match_dollar_topics() {
        // 4.7.2: a subscription to "#" will not receive messages published to a topic beginning
        // with $; "+/monitor/Clients" will not receive messages published to "$SYS/monitor/Clients";
        // "$SYS/#" and "$SYS/monitor/+" will.
        assertThat(matches("#", "$SYS/monitor/Clients")).isFalse();
        assertThat(matches("+/monitor/Clients", "$SYS/monitor/Clients")).isFalse();
        assertThat(matches("$SYS/#", "$SYS/monitor/Clients")).isTrue();
        assertThat(matches("$SYS/monitor/+", "$SYS/monitor/Clients")).isTrue();
        // A '$' further down is an ordinary character: Homie's homie/<device>/$state.
        assertThat(matches("homie/+/$state", "homie/studio-env/$state")).isTrue();
    }

    @Test
    void levels_are_case_sensitive_and_topics_with_wildcards_match_nothing() {
        // 4.7.3: "ACCOUNTS" and "Accounts" are two different topic names.
        assertThat(matches("ACCOUNTS", "Accounts")).isFalse();
        assertThat(matches("#", "a/+/b")).isFalse();
        assertThat(matches("#", "")).isFalse();
    }

    @Test
    void captures_the_levels_each_plus_stood_for() {
        TopicFilter f = TopicFilter.of("homie/+/+/temperature");
        assertThat(f.capture("homie/studio-env/climate/temperature")).hasValue(List.of("studio-env", "climate"));
        assertThat(f.wildcards()).isEqualTo(2);
        assertThat(TopicFilter.of("tele/+/#").capture("tele/plug-1/SENSOR")).hasValue(List.of("plug-1"));
        assertThat(f.capture("homie/studio-env/temperature")).isEmpty();
    }
}
