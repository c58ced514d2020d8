package org.campusedge.sync.downlink;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading what managers import: cards CSV and the rooms / schedules / holidays / alarm rules YAML. */
class DownlinkImportTest {

    private static final String HEADER = "card_id,person,rooms,valid_from,valid_until,groups\n";

    private static List<CardsCsv.Row> csv(String text) throws Exception {
        return CardsCsv.read(new StringReader(text), "cards.csv", r -> true, "any");
    }

    @Test
    void reads_cards_with_rooms_groups_and_dates() throws Exception {
        List<CardsCsv.Row> rows = csv(HEADER + "0a00d6e3f2,S-0117,studio-1;robotics-1,2026-09-01,2027-07-15,Grade-8;media-club\n"
                + "# a comment\n\n1F00A4B2C3,T-0042,*,,,staff\n");
        assertThat(rows).extracting(CardsCsv.Row::cardId).containsExactly("0A00D6E3F2", "1F00A4B2C3");
        assertThat(rows.get(0).grant().groups()).containsExactly("grade-8", "media-club");
        assertThat(rows.get(1).grant().allRooms()).isTrue();
    }

    @Test
    void a_malformed_line_is_named_by_line_and_column() {
        assertThatThrownBy(() -> csv(HEADER + "0A01,S-1,*,,,\n0A02,S-2,*,,2026-02-30,\n"))
                .isInstanceOf(CardsCsvException.class)
                .hasMessage("cards.csv:3: column 5 (valid_until): valid_until must be a date like 2026-09-01, got \"2026-02-30\"")
                .satisfies(e -> assertThat(((CardsCsvException) e).line()).isEqualTo(3));
        assertThatThrownBy(() -> csv(HEADER + "0A01,,*,,,\n")).hasMessageContaining("cards.csv:2: column 2 (person)");
        assertThatThrownBy(() -> csv(HEADER + "0A01,S-1,*,,\n")).hasMessageContaining("cards.csv:2: expected 6 columns, found 5");
        assertThatThrownBy(() -> csv(HEADER + "0A01,S-1,*;studio-1,,,\n")).hasMessageContaining("column 3 (rooms)");
    }

    @Test
    void reads_rooms_schedules_holidays_and_alarm_rules_in_agent_style_keys() {
        PolicyYaml.Parsed p = PolicyYaml.parse("""
                rooms:
                  studio-1: {capacity: 12, anti-passback: true, open-hours: [{days: [mon-fri], from: "08:00", to: "18:00"}]}
                schedules:
                  studio-1:
                    - {groups: [Media-Club], days: [fri-mon], from: "22:00", to: "02:00", on-holidays: true}
                holidays:
                  - {id: teachers-day, name: Teachers' Day, date: 2026-09-10}
                alarm-rules:
                  - {id: co2-high, kind: threshold, metric: co2, above: 1500}
                """, "policy.yaml");
        assertThat(p.kinds()).containsExactlyInAnyOrder(DownlinkKind.ROOM, DownlinkKind.SCHEDULE, DownlinkKind.HOLIDAY,
                DownlinkKind.ALARM_RULE);
        RoomSpec room = DownlinkValues.read(p.edits().get(0).value(), RoomSpec.class);
        assertThat(room.capacity()).isEqualTo(12);
        assertThat(room.antiPassback()).isTrue();
        WindowSpec rule = DownlinkValues.read(p.edits().get(1).value(), ScheduleSpec.class).rules().get(0);
        assertThat(rule.groups()).containsExactly("media-club");
        assertThat(rule.weekdays()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(rule.fromMinute()).isEqualTo(22 * 60);
        assertThat(rule.onHolidays()).isTrue();
        HolidaySpec h = DownlinkValues.read(p.edits().get(2).value(), HolidaySpec.class);
        assertThat(h.from()).isEqualTo(h.to());
        assertThat(p.edits().get(3).key()).isEqualTo("co2-high");
    }

    @Test
    void a_bad_entry_is_named_by_source_and_path() {
        assertThatThrownBy(() -> PolicyYaml.parse("rooms:\n  studio-1: {capacity: -1}\n", "policy.yaml"))
                .hasMessageContaining("policy.yaml: rooms.studio-1: capacity must be");
        assertThatThrownBy(() -> PolicyYaml.parse("schedules:\n  studio-1:\n    - {groups: [a], days: [someday]}\n", "policy.yaml"))
                .hasMessageContaining("policy.yaml: schedules.studio-1").hasMessageContaining("someday");
        assertThatThrownBy(() -> PolicyYaml.parse("holidays:\n  - {name: X, from: 2026-10-07, to: 2026-10-01}\n", "policy.yaml"))
                .hasMessageContaining("holidays[0].id: is required");
        assertThatThrownBy(() -> PolicyYaml.parse("holidays:\n  - {id: x, name: X, from: 2026-10-07, to: 2026-10-01}\n", "p.yaml"))
                .hasMessageContaining("p.yaml: holidays[0]").hasMessageContaining("before");
        assertThatThrownBy(() -> PolicyYaml.parse("cards: []\n", "policy.yaml")).hasMessageContaining("unknown section \"cards\"");
    }
}
