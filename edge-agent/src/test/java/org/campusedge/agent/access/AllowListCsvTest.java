package org.campusedge.agent.access;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowListCsvTest {

    private static final Set<String> ROOMS = Set.of("studio-1", "robotics-1");

    private static List<Permission> read(String csv) throws Exception {
        return AllowListCsv.read(new StringReader(csv), "cards.csv", ROOMS);
    }

    @Test
    void reads_rooms_wildcards_and_dates() throws Exception {
        List<Permission> ps = read("""
                # exported 2026-11-28
                card_id,person,rooms,valid_from,valid_until
                0a00d6e3f2,S-0117,studio-1;robotics-1,2026-09-01,2027-07-15
                1F00A4B2C3,T-0042,*,,
                """);
        assertThat(ps).hasSize(2);
        assertThat(ps.get(0).cardId()).isEqualTo("0A00D6E3F2");
        assertThat(ps.get(0).rooms()).containsExactlyInAnyOrder("studio-1", "robotics-1");
        assertThat(ps.get(0).validUntil()).hasValue(LocalDate.parse("2027-07-15"));
        assertThat(ps.get(1).allRooms()).isTrue();
        assertThat(ps.get(1).validFrom()).isEmpty();
    }

    @Test
    void names_the_line_and_column_of_every_error() {
        String header = "card_id,person,rooms,valid_from,valid_until\n";
        assertThatThrownBy(() -> read("card,person\n")).hasMessageContaining("cards.csv:1: the first line must be the header");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,gym,,\n"))
                .hasMessageContaining("cards.csv:2: column 3 (rooms): unknown room \"gym\"");
        assertThatThrownBy(() -> read(header + "zz-top,S-1,*,,\n")).hasMessageContaining("cards.csv:2: column 1 (card_id): card_id must be");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*,yesterday,\n"))
                .hasMessageContaining("cards.csv:2: column 4 (valid_from): valid_from must be a date");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*,2027-01-01,2026-01-01\n"))
                .hasMessageContaining("cards.csv:2: column 5 (valid_until): valid_until 2026-01-01 is before valid_from 2027-01-01");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*,,\n\n0a00d6e3f2,S-2,*,,\n"))
                .hasMessageContaining("cards.csv:4: column 1 (card_id): card 0A00D6E3F2 appears twice");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*\n")).hasMessageContaining("expected 5 columns, found 3");
        assertThatThrownBy(() -> read("")).hasMessageContaining("the file is empty");
    }

    @Test
    void reads_an_optional_groups_column_separated_by_semicolons() throws Exception {
        List<Permission> ps = read("""
                card_id,person,rooms,valid_from,valid_until,groups
                0a00d6e3f2,S-0117,studio-1,2026-09-01,2027-07-15,Grade-8; media-club
                1F00A4B2C3,T-0042,*,,,staff
                2B00C1D2E3,S-0388,,,,grade-8
                3C00C1D2E3,S-0389,robotics-1,,,
                """);
        assertThat(ps.get(0).groups()).containsExactlyInAnyOrder("grade-8", "media-club");
        assertThat(ps.get(1).groups()).containsExactly("staff");
        assertThat(ps.get(2).rooms()).isEmpty();
        assertThat(ps.get(2).allRooms()).isFalse();
        assertThat(ps.get(2).groups()).containsExactly("grade-8");
        assertThat(ps.get(3).groups()).isEmpty();
    }

    @Test
    void a_file_without_the_groups_column_reads_as_before_with_no_groups() throws Exception {
        List<Permission> ps = read("card_id,person,rooms,valid_from,valid_until\n0a00d6e3f2,S-0117,studio-1,,\n");
        assertThat(ps.get(0).groups()).isEmpty();
    }

    @Test
    void names_the_line_of_a_bad_group_or_a_card_with_neither_rooms_nor_groups() {
        String header = "card_id,person,rooms,valid_from,valid_until,groups\n";
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*,,,grade 8\n"))
                .hasMessageContaining("cards.csv:2: column 6 (groups): group must be").hasMessageContaining("\"grade 8\"");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,,,,\n"))
                .hasMessageContaining("cards.csv:2: column 3 (rooms): rooms is empty");
        assertThatThrownBy(() -> read(header + "0A00D6E3F2,S-1,*,,\n")).hasMessageContaining("expected 6 columns, found 5");
        assertThatThrownBy(() -> read("card_id,person,rooms,valid_from,valid_until,group\n"))
                .hasMessageContaining("cards.csv:1: the first line must be the header");
    }
}
