package org.campusedge.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.journal.EventCursor;
import org.campusedge.agent.journal.EventPage;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.center.query.Csv;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The events export of {@code GET /api/events.csv}: the events a query matches, newest first, as
 * CSV by the data center's {@link Csv} (RFC 4180 quoting, formula-safe cells), UTF-8 with a byte
 * order mark so spreadsheet programs read Chinese as such, and a header row in the chosen language.
 * Times are in the school's zone with their offset. The journal is read a page of
 * {@link EventQuery#MAX_LIMIT} at a time and each page written out before the next is read, so the
 * heap holds one page however long the export.
 *
 * <p>Stateless; one {@link #write} per request, on an HTTP worker thread.
 */
final class EventsCsv {

    /** The most rows one export carries. */
    static final int MAX_ROWS = 100_000;

    static final List<String> HEADER_EN = List.of("time", "type", "room", "card", "person", "result", "details", "stream", "seq");
    static final List<String> HEADER_ZH = List.of("时间", "类型", "房间", "卡号", "人员", "结果", "详情", "数据流", "序号");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final Journal journal;
    private final ZoneId zone;

    EventsCsv(Journal journal, ZoneId zone) {
        this.journal = journal;
        this.zone = zone;
    }

    /** Writes up to {@code maxRows} events of {@code query} (its limit is the page size). */
    void write(EventQuery query, int maxRows, boolean chinese, OutputStream out) throws IOException {
        out.write((Csv.BOM + new Csv().line(chinese ? HEADER_ZH : HEADER_EN).text()).getBytes(UTF_8));
        int written = 0;
        EventQuery page = query.withLimit(Math.min(EventQuery.MAX_LIMIT, maxRows));
        while (written < maxRows) {
            EventPage events = journal.page(page);
            Csv csv = new Csv();
            for (JournalEvent e : events.events()) {
                csv.line(row(e));
            }
            out.write(csv.text().getBytes(UTF_8));
            written += events.events().size();
            Optional<EventCursor> next = events.next();
            if (next.isEmpty() || written >= maxRows) {
                break;
            }
            page = page.after(next.get()).withLimit(Math.min(EventQuery.MAX_LIMIT, maxRows - written));
        }
    }

    List<Object> row(JournalEvent e) {
        JsonNode p = payload(e.payloadJson());
        return java.util.Arrays.asList(TIME.format(e.occurredAt().atZone(zone)), e.type(), e.room().orElse(null),
                text(p, "card"), text(p, "person"), result(e.type(), p), e.payloadJson(), e.stream().wireName(), e.seq());
    }

    /** The event's outcome in a few words: a decision and its reason, a reading's value, an alarm's severity. */
    static String result(String type, JsonNode p) {
        return switch (type) {
            case "access.decision" -> decision(p);
            case "sensor.reading" -> join(text(p, "metric"), number(p, "value"), text(p, "unit"));
            case "sensor.aggregate" -> join(text(p, "metric"), "avg " + number(p, "avg"), text(p, "unit"));
            case "alarm.raised" -> join(text(p, "severity"), text(p, "metric"), number(p, "value"));
            case "alarm.cleared" -> text(p, "reason");
            case "reader.status" -> text(p, "state");
            case "reader.alert" -> join(text(p, "kind"), p.path("active").asBoolean() ? "active" : "cleared");
            case "sensor.availability" -> p.hasNonNull("state") ? text(p, "state")
                    : p.path("online").asBoolean() ? "online" : "offline";
            case "access.mode" -> text(p, "mode");
            case "room.occupancy_reset" -> join(text(p, "reason"), number(p, "cleared"));
            default -> null;
        };
    }

    private static String decision(JsonNode p) {
        String decision = p.path("granted").asBoolean() ? "granted" : "denied";
        String reason = text(p, "reason");
        return reason == null || reason.equals(decision) ? decision : decision + ": " + reason;
    }

    private static JsonNode payload(String json) {
        try {
            return AgentApi.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return AgentApi.JSON.missingNode(); // journaled payloads are JSON; an odd one still gets its row
        }
    }

    private static String text(JsonNode p, String field) {
        return p.hasNonNull(field) ? p.path(field).asText() : null;
    }

    private static String number(JsonNode p, String field) {
        return p.path(field).isNumber() ? p.path(field).asText() : null;
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String s : parts) {
            if (s != null && !s.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append(s);
            }
        }
        return b.isEmpty() ? null : b.toString();
    }
}
