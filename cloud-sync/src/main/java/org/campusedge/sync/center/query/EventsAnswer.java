package org.campusedge.sync.center.query;

import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.EventQuery;
import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.StoredEvent;
import org.campusedge.sync.http.HttpReply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/events}: events by school, device, room, type and the box's time, one bounded page
 * at a time, in JSON (payloads as JSON) or CSV (payloads as text). Without {@code from} the last
 * day is searched. Stateless.
 */
final class EventsAnswer {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_TYPES = 20;

    private EventsAnswer() {
    }

    static HttpReply answer(EventStore store, QueryParams p, Map<String, String> schools, DataCenterConfig.Queries settings,
                            Instant now) throws BadQueryException {
        boolean csv = p.choice("format", List.of("json", "csv"), "json").equals("csv");
        Instant to = p.moment("to", settings.zone(), true).orElse(now);
        Instant from = p.moment("from", settings.zone(), false).orElse(to.minus(Duration.ofDays(1)));
        QueryParams.checkRange(from, to, settings.maxRangeDays());
        int limit = p.integer("limit", Math.min(DEFAULT_LIMIT, settings.maxPage()), 1, settings.maxPage());
        Optional<Set<String>> devices = Optional.empty();
        if (p.text("school").isPresent()) {
            devices = Optional.of(QueryApi.devicesOf(schools, p.text("school").get()));
        }
        if (p.text("device").isPresent()) {
            Set<String> one = new HashSet<>(Set.of(p.text("device").get()));
            devices.ifPresent(one::retainAll);
            devices = Optional.of(one);
        }
        Set<String> types = p.text("type").map(t -> Set.of(t.split(","))).orElse(Set.of());
        if (types.size() > MAX_TYPES) {
            throw new BadQueryException("type lists more than " + MAX_TYPES + " types");
        }
        EventQuery.Page page = store.search(new EventQuery(devices, p.text("room"), types, from, to, p.cursor("after"), limit));
        Optional<String> next = page.next().map(QueryParams::encode);
        if (csv) {
            Csv out = new Csv().line(List.of("device", "school", "stream", "seq", "type", "occurred_at", "received_at", "payload"));
            for (StoredEvent e : page.events()) {
                out.line(List.of(e.deviceId(), schools.getOrDefault(e.deviceId(), ""), e.stream(), e.seq(), e.type(),
                        e.occurredAt(), e.receivedAt(), e.payloadJson()));
            }
            HttpReply reply = HttpReply.bytes(200, QueryApi.CSV, out.text().getBytes(StandardCharsets.UTF_8));
            return next.isPresent() ? reply.withHeader("X-Next-Page", next.get()) : reply;
        }
        return JsonAnswers.json(g -> {
            g.writeStartObject();
            g.writeStringField("from", from.toString());
            g.writeStringField("to", to.toString());
            g.writeArrayFieldStart("events");
            for (StoredEvent e : page.events()) {
                g.writeStartObject();
                g.writeStringField("device", e.deviceId());
                g.writeStringField("school", schools.getOrDefault(e.deviceId(), ""));
                g.writeStringField("stream", e.stream());
                g.writeNumberField("seq", e.seq());
                g.writeStringField("type", e.type());
                g.writeStringField("occurredAt", e.occurredAt().toString());
                g.writeStringField("receivedAt", e.receivedAt().toString());
                g.writeFieldName("payload");
                g.writeRawValue(e.payloadJson());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("next", next.get());
            } else {
                g.writeNullField("next");
            }
            g.writeEndObject();
        });
    }
}
