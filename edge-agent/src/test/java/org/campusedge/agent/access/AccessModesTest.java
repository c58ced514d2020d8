package org.campusedge.agent.access;

import org.campusedge.agent.journal.ScratchJournal;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccessModesTest {

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();
    private Journal journal;

    private static final Instant NOON = Instant.parse("2026-11-30T04:00:00Z");




    private Journal open() {
        journal = scratch.open();
        return journal;
    }

    private void restart() {
        journal.close();
        open();
    }

    private static AccessDecider decider() {
        return new AccessDecider(AccessPolicyFixture.allowList(), AccessPolicyFixture.policy(), ZoneId.of("Asia/Shanghai"),
                OccupancyView.NONE);
    }

    @Test
    void a_mode_change_is_an_access_mode_event_with_who_and_why() throws Exception {
        JournalEntry e = decider().setMode(AccessMode.LOCKDOWN, "principal", "police request", NOON);
        assertThat(e.type()).isEqualTo(EventType.ACCESS_MODE);
        assertThat(e.occurredAt()).isEqualTo(NOON);
        assertThat(e.room()).isEmpty();
        JsonNode body = new ObjectMapper().readTree(e.payloadJson());
        assertThat(body.get("mode").asText()).isEqualTo("lockdown");
        assertThat(body.get("previous").asText()).isEqualTo("normal");
        assertThat(body.get("by").asText()).isEqualTo("principal");
        assertThat(body.get("reason").asText()).isEqualTo("police request");
    }

    @Test
    void a_fresh_journal_starts_in_normal_mode() {
        assertThat(AccessModes.restore(open())).isEqualTo(AccessMode.NORMAL);
    }

    @Test
    void the_last_mode_change_is_restored_after_a_restart() {
        AccessDecider before = decider();
        open().append(before.setMode(AccessMode.EMERGENCY_UNLOCK, "fire-panel", "alarm zone 2", NOON)).join();
        journal.append(before.setMode(AccessMode.NORMAL, "caretaker", "false alarm", NOON.plusSeconds(60))).join();
        journal.append(before.setMode(AccessMode.LOCKDOWN, "principal", "police request", NOON.plusSeconds(120))).join();
        restart();

        AccessDecider after = decider();
        after.restoreMode(AccessModes.restore(journal));
        assertThat(after.mode()).isEqualTo(AccessMode.LOCKDOWN);
        assertThat(after.decide(AccessPolicyFixture.GRADE_8, "maker-1", Direction.IN, NOON).reason())
                .isEqualTo(ReasonCode.LOCKDOWN);
        assertThat(journal.query(new EventQuery(Optional.empty(), Optional.of("access.mode"), Optional.empty(),
                Optional.empty(), 10))).hasSize(3);
    }

    @Test
    void the_last_change_wins_by_commit_order_even_if_the_clock_went_back() {
        AccessDecider d = decider();
        open().append(d.setMode(AccessMode.LOCKDOWN, "principal", "drill", NOON)).join();
        journal.append(d.setMode(AccessMode.NORMAL, "principal", "drill over", NOON.minusSeconds(3600))).join();
        restart();
        assertThat(AccessModes.restore(journal)).isEqualTo(AccessMode.NORMAL);
    }

    @Test
    void an_unreadable_mode_event_is_passed_over_for_the_one_before() {
        open().append(decider().setMode(AccessMode.LOCKDOWN, "principal", "drill", NOON)).join();
        journal.append(new JournalEntry(EventType.ACCESS_MODE, NOON.plusSeconds(1), Optional.empty(),
                "{\"mode\":\"party\",\"by\":\"x\",\"reason\":\"y\"}")).join();
        restart();
        assertThat(AccessModes.restore(journal)).isEqualTo(AccessMode.LOCKDOWN);
    }

    @Test
    void mode_wire_names_are_stable() {
        assertThat(AccessMode.EMERGENCY_UNLOCK.wireName()).isEqualTo("emergency_unlock");
        assertThat(AccessMode.ofWireName("emergency-unlock")).hasValue(AccessMode.EMERGENCY_UNLOCK);
        assertThat(AccessMode.ofWireName("LOCKDOWN")).hasValue(AccessMode.LOCKDOWN);
        assertThat(AccessMode.ofWireName("party")).isEmpty();
    }
}
