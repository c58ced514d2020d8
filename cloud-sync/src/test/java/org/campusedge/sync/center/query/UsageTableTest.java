package org.campusedge.sync.center.query;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTableTest {

    private static final UsageRow ROW = new UsageRow("2026-09", "2026-09-01", "2026-09-30", "=HYPERLINK(\"x\"), \"No. 1\"",
            "robotics-lab", 2, 3, 4, 5.25, 6);

    @Test
    void english_csv_quotes_commas_and_quotes_and_defuses_formulas() {
        assertThat(UsageTable.csv(List.of(ROW), false)).isEqualTo(
                "period,period_start,period_end,school,room_type,rooms,sessions,unique_students,occupied_hours,granted_entries\r\n"
                        + "2026-09,2026-09-01,2026-09-30,\"'=HYPERLINK(\"\"x\"\"), \"\"No. 1\"\"\",robotics-lab,2,3,4,5.25,6\r\n");
    }

    @Test
    void chinese_csv_starts_with_a_byte_order_mark_and_names_room_types_and_the_city_line_in_chinese() {
        String csv = UsageTable.csv(List.of(new UsageRow("2026-W37", "2026-09-07", "2026-09-13", UsageRow.ALL_SCHOOLS,
                "campus-tv", 1, 1, 1, 0.5, 1)), true);

        assertThat(csv).startsWith("\uFEFF统计周期,").endsWith("2026-W37,2026-09-07,2026-09-13,全市合计,校园电视台,1,1,1,0.50,1\r\n");
        assertThat(UsageTable.ROOM_TYPES_ZH).containsKeys("recording-studio", "robotics-lab", "maker-space", "steam-room",
                "campus-tv", "other", "unknown");
    }
}
