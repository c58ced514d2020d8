package org.campusedge.sync.center.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The usage report as a table for the bureau's statistics forms: column names in English
 * (snake_case) or Chinese ({@code lang=zh-CN}, which also names the room types and the city-wide
 * line in Chinese and starts the file with a byte order mark for spreadsheet programs). Stateless.
 */
final class UsageTable {

    static final List<String> COLUMNS = List.of("period", "period_start", "period_end", "school", "room_type", "rooms",
            "sessions", "unique_students", "occupied_hours", "granted_entries");
    static final List<String> COLUMNS_ZH = List.of("统计周期", "开始日期", "结束日期", "学校", "功能室类型", "功能室数",
            "使用次数", "使用学生数（去重）", "使用时长（小时）", "刷卡进入次数");
    static final Map<String, String> ROOM_TYPES_ZH = Map.of(
            "recording-studio", "录播室",
            "robotics-lab", "机器人实验室",
            "maker-space", "创客空间",
            "steam-room", "STEAM教室",
            "campus-tv", "校园电视台",
            "other", "其他",
            "unknown", "未标明");
    static final String ALL_SCHOOLS_ZH = "全市合计";

    private UsageTable() {
    }

    static String csv(List<UsageRow> rows, boolean chinese) {
        Csv csv = new Csv().line(chinese ? COLUMNS_ZH : COLUMNS);
        for (UsageRow r : rows) {
            List<Object> line = new ArrayList<>(COLUMNS.size());
            line.add(r.period());
            line.add(r.periodStart());
            line.add(r.periodEnd());
            line.add(chinese && r.school().equals(UsageRow.ALL_SCHOOLS) ? ALL_SCHOOLS_ZH : r.school());
            line.add(chinese ? ROOM_TYPES_ZH.getOrDefault(r.roomType(), r.roomType()) : r.roomType());
            line.add(r.rooms());
            line.add(r.sessions());
            line.add(r.uniqueStudents());
            line.add(String.format(java.util.Locale.ROOT, "%.2f", r.occupiedHours()));
            line.add(r.grantedEntries());
            csv.line(line);
        }
        return (chinese ? Csv.BOM : "") + csv.text();
    }
}
