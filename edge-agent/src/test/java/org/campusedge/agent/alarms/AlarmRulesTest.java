package org.campusedge.agent.alarms;

import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlarmRulesTest {

    private static List<AlarmRule> read(String yaml) throws ConfigException {
        return AlarmRules.read(ConfigNode.parse(yaml, "agent.yaml").sections("alarms"), Set.of("maker-1", "studio-1"));
    }

    @Test
    void defaults_per_kind() throws Exception {
        List<AlarmRule> rules = read("""
                alarms:
                  - {id: hot, metric: temperature, above: 35}
                  - {id: laser, kind: unattended}
                  - {id: quiet, kind: silent}
                  - {id: door, kind: door-held-open}
                """);
        assertThat(rules.get(0).holdFor()).isZero();
        assertThat(rules.get(0).severity()).isEqualTo(AlarmRule.Severity.WARNING);
        assertThat(rules.get(1).metric()).isEqualTo("power");
        assertThat(rules.get(1).above()).contains(5.0);
        assertThat(rules.get(2).silentAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rules.get(3).metric()).isEqualTo("door");
        assertThat(rules.get(3).holdFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rules.get(0).breached(35.1)).isTrue();
        assertThat(rules.get(0).breached(35)).isFalse();
    }

    @Test
    void below_limits_and_hysteresis() throws Exception {
        AlarmRule cold = read("alarms: [{id: cold, metric: temperature, below: 10, hysteresis: 1.5}]").get(0);
        assertThat(cold.breached(9.9)).isTrue();
        assertThat(cold.recovered(11.4)).isFalse();
        assertThat(cold.recovered(11.5)).isTrue();
    }

    @Test
    void errors_name_the_key() {
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: warmth, above: 1}]"))
                .hasMessageContaining("alarms[0].metric").hasMessageContaining("unknown metric \"warmth\"");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2}]"))
                .hasMessageContaining("alarms[0].above").hasMessageContaining("exactly one of above or below");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: 1, rooms: [gym]}]"))
                .hasMessageContaining("alarms[0].rooms").hasMessageContaining("unknown room \"gym\"");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: 1, room-types: [pool]}]"))
                .hasMessageContaining("unknown room type \"pool\"");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: lots}]"))
                .hasMessageContaining("alarms[0].above").hasMessageContaining("must be a number");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: 1, for: soon}]"))
                .hasMessageContaining("alarms[0].for");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: 1}, {id: x, metric: co2, above: 2}]"))
                .hasMessageContaining("duplicate alarm rule id \"x\"");
        assertThatThrownBy(() -> read("alarms: [{id: x, kind: silent, above: 3}]"))
                .hasMessageContaining("a silent rule has no limit");
        assertThatThrownBy(() -> read("alarms: [{id: x, metric: co2, above: 1, hysteresis: -1}]"))
                .hasMessageContaining("alarms[0].hysteresis");
    }
}
