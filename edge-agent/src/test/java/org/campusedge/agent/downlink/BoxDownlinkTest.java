package org.campusedge.agent.downlink;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.OccupancyView;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.alarms.AlarmRule;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.ScratchJournal;
import org.campusedge.sync.downlink.DownlinkChange;
import org.campusedge.sync.downlink.DownlinkDelta;
import org.campusedge.sync.wire.JsonCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Applying the downlink on the box: what decides after a delta, atomicity, restart, snapshots. */
class BoxDownlinkTest {

    private static final String SCHOOL = "school:IT School";
    private static final String DEVICE = "device:box-1";
    private static final Instant MONDAY_4PM = Instant.parse("2026-11-30T08:00:00Z");
    private static final String CARD = "0A00D6E3F2";
    private static final String MEDIA = "0A00D6E3F3";

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();

    private AgentConfig config;
    private Journal journal;
    private AccessDecider decider;
    private final List<List<AlarmRule>> alarmRules = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        config = AgentConfigLoader.parse("""
                device: {id: box-1, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: studio-1, type: recording-studio, capacity: 8}
                  - {id: maker-1, type: maker-space}
                storage: {path: journal.db}
                """, "test", Path.of("."));
        journal = scratch.open();
        decider = new AccessDecider(AllowList.empty(), config.access(), ZoneId.of("Asia/Shanghai"), OccupancyView.NONE);
    }

    private BoxDownlink restore(DownlinkStateStore store) {
        return BoxDownlink.restore(config, store, decider, AllowList.empty(), alarmRules::add);
    }

    private static DownlinkChange put(String scope, String kind, String key, long version, String json) throws Exception {
        JsonNode value = JsonCodec.mapper().readTree(json);
        return new DownlinkChange(scope, kind, key, version, value);
    }

    private static DownlinkChange removed(String scope, String kind, String key, long version) {
        return new DownlinkChange(scope, kind, key, version, null);
    }

    private ReasonCode tap(String card, String room) {
        return decider.decide(card, room, MONDAY_4PM).reason();
    }

    @Test
    void a_delta_grants_a_card_and_a_later_one_revokes_it_with_a_reason_code() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.UNKNOWN_CARD);
        box.apply(new DownlinkDelta(0, 3, true, List.of(put(SCHOOL, "card", CARD, 3, "{\"person\":\"S-1\",\"rooms\":[\"studio-1\"]}"))));
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(tap(CARD, "maker-1")).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
        assertThat(box.version()).isEqualTo(3);

        box.apply(new DownlinkDelta(3, 4, false, List.of(removed(SCHOOL, "card", CARD, 4))));
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.UNKNOWN_CARD);
    }

    @Test
    void schedules_and_holidays_from_the_downlink_decide_with_the_same_reasons_as_configured_ones() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        box.apply(new DownlinkDelta(0, 1, true, List.of(
                put(SCHOOL, "card", MEDIA, 1, "{\"person\":\"S-2\",\"groups\":[\"media-club\"]}"),
                put(SCHOOL, "schedule", "studio-1", 1, "{\"rules\":[{\"groups\":[\"media-club\"],\"days\":[\"mon-fri\"],"
                        + "\"from\":\"15:30\",\"to\":\"17:30\"}]}"),
                put(SCHOOL, "room", "studio-1", 1, "{\"capacity\":4,\"antiPassback\":true}"))));
        assertThat(tap(MEDIA, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(decider.policy().room("studio-1").orElseThrow().capacity()).isEqualTo(4);
        assertThat(decider.decide(MEDIA, "studio-1", MONDAY_4PM.plusSeconds(3 * 3600)).reason()).isEqualTo(ReasonCode.OUTSIDE_SCHEDULE);

        box.apply(new DownlinkDelta(1, 2, false, List.of(
                put(SCHOOL, "holiday", "day-off", 2, "{\"name\":\"Day off\",\"from\":\"2026-11-30\"}"))));
        assertThat(tap(MEDIA, "studio-1")).isEqualTo(ReasonCode.HOLIDAY);
    }

    @Test
    void a_device_item_overrides_its_schools_and_rooms_this_box_lacks_are_skipped() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        box.apply(new DownlinkDelta(0, 2, true, List.of(
                put(SCHOOL, "card", CARD, 1, "{\"person\":\"S-1\",\"rooms\":[\"maker-1\"]}"),
                put(DEVICE, "card", CARD, 2, "{\"person\":\"S-1\",\"rooms\":[\"studio-1\"]}"),
                put(SCHOOL, "room", "gym-of-another-box", 1, "{\"capacity\":40}"))));
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(tap(CARD, "maker-1")).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
        assertThat(decider.policy().room("gym-of-another-box")).isEmpty();
    }

    @Test
    void a_delta_failing_midway_through_storing_leaves_the_old_version_fully_in_force() throws Exception {
        int[] writes = {0};
        DownlinkStateStore breaking = new DownlinkStateStore(journal, c -> {
            if (c.version() == 2 && ++writes[0] == 2) {
                throw new IllegalStateException("disk pulled midway");
            }
        });
        BoxDownlink box = restore(breaking);
        box.apply(new DownlinkDelta(0, 1, true, List.of(put(SCHOOL, "card", CARD, 1, "{\"person\":\"S-1\",\"rooms\":[\"studio-1\"]}"))));
        assertThatThrownBy(() -> box.apply(new DownlinkDelta(1, 2, false, List.of(
                removed(SCHOOL, "card", CARD, 2),
                put(SCHOOL, "card", MEDIA, 2, "{\"person\":\"S-2\",\"rooms\":[\"studio-1\"]}")))))
                .isInstanceOf(DownlinkApplyException.class).hasMessageContaining("disk pulled midway");
        assertThat(box.version()).isEqualTo(1);
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(tap(MEDIA, "studio-1")).isEqualTo(ReasonCode.UNKNOWN_CARD);
        DownlinkItems stored = new DownlinkStateStore(journal).load();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.all()).extracting(DownlinkChange::key).containsExactly(CARD);
    }

    @Test
    void a_delta_with_an_item_the_box_cannot_use_is_refused_whole() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        box.apply(new DownlinkDelta(0, 1, true, List.of(put(SCHOOL, "card", CARD, 1, "{\"person\":\"S-1\",\"rooms\":[\"studio-1\"]}"))));
        assertThatThrownBy(() -> box.apply(new DownlinkDelta(1, 2, false, List.of(
                removed(SCHOOL, "card", CARD, 2),
                put(SCHOOL, "alarm-rule", "co2", 2, "{\"kind\":\"threshold\",\"metric\":\"radon\",\"above\":1}")))))
                .isInstanceOf(DownlinkAccess.BadItemException.class).hasMessageContaining("alarm-rule co2").hasMessageContaining("radon");
        assertThat(box.version()).isEqualTo(1);
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(new DownlinkStateStore(journal).load().version()).isEqualTo(1);
    }

    @Test
    void a_restarted_box_decides_by_the_last_applied_version_without_the_network() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        box.apply(new DownlinkDelta(0, 5, true, List.of(put(SCHOOL, "card", CARD, 5, "{\"person\":\"S-1\",\"rooms\":[\"*\"]}"),
                put(SCHOOL, "alarm-rule", "co2-high", 5, "{\"kind\":\"threshold\",\"metric\":\"co2\",\"above\":1500}"))));
        assertThat(alarmRules).last().satisfies(rules -> assertThat(rules).extracting(AlarmRule::id).containsExactly("co2-high"));

        journal = scratch.open();
        decider = new AccessDecider(AllowList.empty(), config.access(), ZoneId.of("Asia/Shanghai"), OccupancyView.NONE);
        alarmRules.clear();
        BoxDownlink again = restore(new DownlinkStateStore(journal));
        assertThat(again.version()).isEqualTo(5);
        assertThat(tap(CARD, "maker-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(alarmRules).singleElement().satisfies(rules -> assertThat(rules).extracting(AlarmRule::id).containsExactly("co2-high"));
    }

    @Test
    void a_snapshot_replaces_everything_held_and_a_local_import_keeps_the_downlink_on_top() throws Exception {
        BoxDownlink box = restore(new DownlinkStateStore(journal));
        box.apply(new DownlinkDelta(0, 1, true, List.of(put(SCHOOL, "card", CARD, 1, "{\"person\":\"S-1\",\"rooms\":[\"*\"]}"))));
        box.apply(new DownlinkDelta(40, 90, true, List.of(put(SCHOOL, "card", MEDIA, 60, "{\"person\":\"S-2\",\"rooms\":[\"*\"]}"))));
        assertThat(tap(CARD, "studio-1")).isEqualTo(ReasonCode.UNKNOWN_CARD);
        assertThat(tap(MEDIA, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(box.version()).isEqualTo(90);

        box.localChanged(AllowList.of(7, List.of(org.campusedge.agent.access.AllowListCsv.permission(CARD,
                new org.campusedge.sync.downlink.CardGrant("S-1", List.of("maker-1"), List.of(), null, null)))));
        assertThat(tap(CARD, "maker-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(tap(MEDIA, "studio-1")).isEqualTo(ReasonCode.GRANTED);
        assertThat(decider.current().version()).isEqualTo(7);
    }
}
