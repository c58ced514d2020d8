package org.campusedge.agent.config;

import org.campusedge.agent.access.AccessPolicy;
import org.campusedge.agent.access.AccessRule;
import org.campusedge.agent.access.Direction;
import org.campusedge.agent.access.RoomPolicy;
import org.campusedge.agent.access.TimeWindow;
import org.campusedge.sync.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessConfigLoaderTest {

    private static final String BASE = """
            device: {id: box-1, school: No. 17 Middle School, time-zone: Asia/Shanghai}
            rooms:
              - {id: studio-1, capacity: 8}
              - {id: maker-1, capacity: 0}
              - {id: robotics-1}
            readers:
              - {id: maker-in, protocol: rdm6300, port: /dev/ttyA, room: maker-1}
              - {id: maker-out, protocol: rdm6300, port: /dev/ttyB, room: maker-1, direction: out}
              - {id: studio-door, protocol: rdm6300, port: /dev/ttyC, room: studio-1, direction: toggle}
            """;

    private static final String ACCESS = """
            access:
              lockdown-exempt-groups: [Staff, security]
              holidays:
                - {name: National Day Golden Week, from: 2026-10-01, to: 2026-10-07}
                - {name: New Year's Day, date: 2027-01-01}
              rooms:
                maker-1:
                  anti-passback: true
                  open-hours:
                    - {days: mon-fri, from: "07:30", to: "18:00"}
                  rules:
                    - groups: [grade-8, maker-club]
                      days: [mon, wed-thu]
                      from: "15:30"
                      to: "17:30"
                    - {groups: [staff], on-holidays: true}
                    - {groups: robotics-team, days: fri-mon, from: "22:00", to: "02:00"}
                studio-1: {}
            """;

    private static AgentConfig parse(String yaml) throws ConfigException {
        return AgentConfigLoader.parse(yaml, "agent.yaml", Path.of("/tmp"));
    }

    private static String withAccess(String access) {
        return BASE + access;
    }

    @Test
    void reads_rooms_rules_holidays_and_exempt_groups() throws Exception {
        AgentConfig c = parse(withAccess(ACCESS));
        AccessPolicy p = c.access();
        assertThat(p.lockdownExemptGroups()).containsExactlyInAnyOrder("staff", "security");
        assertThat(p.holidays().holidays()).hasSize(2);
        assertThat(p.holidays().isHoliday(LocalDate.parse("2026-10-04"))).isTrue();
        assertThat(p.holidays().holiday(LocalDate.parse("2027-01-01")).orElseThrow().name()).isEqualTo("New Year's Day");
        assertThat(p.rooms()).containsOnlyKeys("maker-1", "studio-1");

        RoomPolicy maker = p.room("maker-1").orElseThrow();
        assertThat(maker.antiPassback()).isTrue();
        assertThat(maker.capacity()).isZero();
        assertThat(maker.openHours()).containsExactly(new TimeWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                7 * 60 + 30, 18 * 60, false));
        AccessRule club = maker.rules().get(0);
        assertThat(club.groups()).containsExactlyInAnyOrder("grade-8", "maker-club");
        assertThat(club.window().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
        assertThat(club.window().fromMinute()).isEqualTo(15 * 60 + 30);
        AccessRule staff = maker.rules().get(1);
        assertThat(staff.window()).isEqualTo(TimeWindow.always());
        AccessRule night = maker.rules().get(2);
        assertThat(night.window().days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY,
                DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(night.window().crossesMidnight()).isTrue();
        assertThat(maker.windows("robotics-team")).containsExactly(night.window());

        RoomPolicy studio = p.room("studio-1").orElseThrow();
        assertThat(studio.rules()).isEmpty();
        assertThat(studio.openHours()).isEmpty();
        assertThat(studio.capacity()).isEqualTo(8);
        assertThat(p.room("robotics-1")).isEmpty();
    }

    @Test
    void reader_direction_defaults_to_in() throws Exception {
        AgentConfig c = parse(BASE);
        assertThat(c.reader("maker-in").orElseThrow().direction()).isEqualTo(Direction.IN);
        assertThat(c.reader("maker-out").orElseThrow().direction()).isEqualTo(Direction.OUT);
        assertThat(c.reader("studio-door").orElseThrow().direction()).isEqualTo(Direction.TOGGLE);
        assertThat(c.access().rooms()).isEmpty();
        assertThat(c.room("maker-1").orElseThrow().capacity()).isZero();
    }

    private static void fails(String access, String message) {
        assertThatThrownBy(() -> parse(withAccess(access))).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void names_the_key_of_a_bad_time() {
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules:
                        - {groups: [grade-8], from: "25:00", to: "26:00"}
                """, "access.rooms.maker-1.rules[0].from: \"25:00\" is not a time HH:MM");
        fails("""
                access:
                  rooms:
                    maker-1:
                      open-hours:
                        - {from: "7:30"}
                """, "access.rooms.maker-1.open-hours[0].from: \"7:30\" is not a time HH:MM");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules:
                        - {groups: [grade-8], from: "24:00"}
                """, "access.rooms.maker-1.rules[0].from: \"24:00\" is not a time HH:MM");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules:
                        - {groups: [grade-8], from: "08:00", to: "08:00"}
                """, "access.rooms.maker-1.rules[0].to: the window from 08:00 to 08:00 is empty");
    }

    @Test
    void an_unquoted_time_is_read_as_the_time_it_shows() throws Exception {
        // Jackson's YAML reader keeps 15:30 as text (a YAML 1.1 base-60 number elsewhere).
        RoomPolicy maker = parse(withAccess("""
                access:
                  rooms:
                    maker-1:
                      rules:
                        - {groups: [grade-8], from: 07:30, to: 15:30}
                """)).access().room("maker-1").orElseThrow();
        assertThat(maker.rules().get(0).window().fromMinute()).isEqualTo(7 * 60 + 30);
        assertThat(maker.rules().get(0).window().toMinute()).isEqualTo(15 * 60 + 30);
    }

    @Test
    void names_the_key_of_bad_days_groups_and_rooms() {
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules: [{groups: [grade-8], days: [mon, funday]}]
                """, "access.rooms.maker-1.rules[0].days: \"funday\" is not a day (mon, tue");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules: [{groups: [grade-8], days: mon-fry}]
                """, "access.rooms.maker-1.rules[0].days: \"mon-fry\" is not a day");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules: [{days: mon}]
                """, "access.rooms.maker-1.rules[0].groups: is required");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules: [{groups: ["grade 8"]}]
                """, "access.rooms.maker-1.rules[0].groups: \"grade 8\" is not a group name");
        fails("""
                access:
                  rooms:
                    maker-2: {}
                """, "access.rooms.maker-2: unknown key (did you mean \"maker-1\"?)");
        fails("""
                access:
                  rooms:
                    maker-1:
                      anti-passbak: true
                """, "access.rooms.maker-1.anti-passbak: unknown key (did you mean \"anti-passback\"?)");
        fails("""
                access:
                  rooms:
                    maker-1:
                      rules: [{groups: [staff], on-holiday: true}]
                """, "access.rooms.maker-1.rules[0].on-holiday: unknown key");
        fails("""
                access:
                  rooms:
                    maker-1: [grade-8]
                """, "access.rooms.maker-1: must be a mapping");
    }

    @Test
    void names_the_key_of_bad_holidays() {
        fails("""
                access:
                  holidays: [{name: National Day, from: 2026-10-07, to: 2026-10-01}]
                """, "access.holidays[0].to: 2026-10-01 is before from 2026-10-07");
        fails("""
                access:
                  holidays: [{name: National Day, from: 2026-10-01}]
                """, "access.holidays[0].to: is required");
        fails("""
                access:
                  holidays: [{name: Spring Festival, date: 2027-02-30}]
                """, "access.holidays[0].date: \"2027-02-30\" is not a date YYYY-MM-DD");
        fails("""
                access:
                  holidays: [{name: X, date: 2027-01-01, from: 2027-01-01, to: 2027-01-02}]
                """, "access.holidays[0].date: set either date (one day) or from and to (a range), not both");
        fails("""
                access:
                  holidays: [{date: 2027-01-01}]
                """, "access.holidays[0].name: is required");
        fails("""
                access:
                  holidays: [{name: Forever, from: 2026-01-01, to: 2027-06-01}]
                """, "access.holidays[0].to: a holiday spans at most 366 days");
    }

    @Test
    void names_the_key_of_a_bad_direction() {
        assertThatThrownBy(() -> parse(BASE.replace("direction: out", "direction: sideways")))
                .hasMessageContaining("readers[1].direction: must be one of in, out, toggle, got \"sideways\"");
    }
}
