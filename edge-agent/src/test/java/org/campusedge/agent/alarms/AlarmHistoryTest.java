package org.campusedge.agent.alarms;

import org.campusedge.agent.TestClock;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Alarm history over a real journal: raises with their clears and acknowledgements, newest first, on the indexes. */
class AlarmHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private Journal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private Journal open() {
        journal = Journal.open(new StorageConfig(dir.resolve("journal.db"), StorageConfig.Durability.NORMAL,
                Duration.ofMillis(1), 500), clock);
        return journal;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private void append(EventType type, Instant at, String room, Map<String, Object> body) {
        journal.append(new JournalEntry(type, at, Optional.of(room), EventJson.write(body))).join();
    }

    private void raised(Instant at, String room, String alarm) {
        append(EventType.ALARM_RAISED, at, room, map("alarm", alarm, "rule", alarm.split(":")[0], "kind", "threshold",
                "severity", "critical", "room", room, "sensor", "env-1", "metric", "temperature", "value", 36.5,
                "threshold", 35.0, "message", "too hot"));
    }

    private void cleared(Instant at, String room, String alarm) {
        append(EventType.ALARM_CLEARED, at, room, map("alarm", alarm, "rule", alarm.split(":")[0], "room", room,
                "reason", "condition_ended"));
    }

    private void acknowledged(Instant at, String room, String alarm, Instant raisedAt, String by) {
        append(EventType.ALARM_ACKNOWLEDGED, at, room, map("alarm", alarm, "room", room, "rule", alarm.split(":")[0],
                "raisedAt", raisedAt.toString(), "by", by, "note", "on it"));
    }

    @Test
    void each_raise_comes_with_its_clear_and_acknowledgement_newest_first() {
        open();
        String hot = "hot:maker-1:env-1";
        raised(T0, "maker-1", hot);
        acknowledged(T0.plusSeconds(30), "maker-1", hot, T0, "manager-1");
        cleared(T0.plusSeconds(60), "maker-1", hot);
        raised(T0.plusSeconds(120), "maker-1", hot);
        raised(T0.plusSeconds(130), "studio-1", "loud:studio-1:mic");
        append(EventType.ACCESS_DECISION, T0.plusSeconds(140), "maker-1", map("card", "C1", "granted", true));
        acknowledged(T0.plusSeconds(150), "maker-1", hot, T0, "late"); // names the first raise: changes nothing

        AlarmHistory history = new AlarmHistory(journal);
        AlarmHistory.Page maker = history.recent(Optional.of("maker-1"), T0.minusSeconds(3600), 10, false);
        assertThat(maker.truncated()).isFalse();
        assertThat(maker.alarms()).hasSize(2);
        AlarmHistory.Entry latest = maker.alarms().get(0);
        assertThat(latest.raisedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(latest.active()).isTrue();
        assertThat(latest.acknowledged()).isNull();
        AlarmHistory.Entry first = maker.alarms().get(1);
        assertThat(first.alarm()).isEqualTo(hot);
        assertThat(first.room()).isEqualTo("maker-1");
        assertThat(first.severity()).isEqualTo("critical");
        assertThat(first.value()).isEqualTo(36.5);
        assertThat(first.clearedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(first.clearReason()).isEqualTo("condition_ended");
        assertThat(first.acknowledged().by()).isEqualTo("manager-1");
        assertThat(first.acknowledged().at()).isEqualTo(T0.plusSeconds(30));
        assertThat(first.acknowledged().note()).isEqualTo("on it");

        assertThat(history.recent(Optional.empty(), T0.minusSeconds(3600), 10, false).alarms())
                .extracting(AlarmHistory.Entry::room).containsExactly("studio-1", "maker-1", "maker-1");
        assertThat(history.recent(Optional.empty(), T0.minusSeconds(3600), 1, false).alarms()).hasSize(1);
        assertThat(history.recent(Optional.of("maker-1"), T0.minusSeconds(3600), 10, true).alarms())
                .extracting(AlarmHistory.Entry::raisedAt).containsExactly(T0.plusSeconds(120));
        assertThat(history.recent(Optional.of("maker-1"), T0.plusSeconds(100), 10, false).alarms())
                .as("the window starts after the first raise").hasSize(1);
        assertThat(history.latest("maker-1", hot, T0.minusSeconds(3600))).hasValueSatisfying(e ->
                assertThat(e.raisedAt()).isEqualTo(T0.plusSeconds(120)));
        assertThat(history.latest("maker-1", "no:such", T0.minusSeconds(3600))).isEmpty();
    }

    @Test
    void both_queries_walk_a_partial_index() {
        open();
        assertThat(plan(AlarmHistory.sql(true), "maker-1")).contains("USING INDEX events_by_room (room=? AND occurred_us>?)");
        assertThat(plan(AlarmHistory.sql(false))).contains("USING INDEX events_by_time (occurred_us>?)");
    }

    private String plan(String sql, String... room) {
        return journal.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                List<Object> args = new ArrayList<>(List.of(room));
                args.addAll(List.of(0L, "priority", "alarm.raised", "alarm.cleared", "alarm.acknowledged", 10));
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString("detail")).append('\n');
                    }
                }
                return out.toString();
            }
        });
    }
}
