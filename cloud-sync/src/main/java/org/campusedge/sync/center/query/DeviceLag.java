package org.campusedge.sync.center.query;

import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.RegisteredDevice;
import org.campusedge.sync.center.ReportedBacklog;
import org.campusedge.sync.center.StoredEvent;
import org.campusedge.sync.wire.Backlog;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.wire.DeclaredGaps;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /v1/devices}: every registered box with its school, last contact and, per stream,
 * how far the center's copy lags: the acknowledged seq, events the box declared lost, the newest
 * event held (box time and receive time), {@code lagSeconds} = now minus that event's box time
 * (how old the center's newest view of the stream is) and {@code deliverySeconds} = its receive
 * time minus its box time (how long it took to arrive). How far each box is behind comes from
 * the box itself (header {@code CampusEdge-Backlog}, kept by the center per device): {@code behindEvents}
 * (events journaled the center has not acknowledged), {@code behindSeconds} (now minus the box time
 * of the oldest of them; 0 when none), {@code backlogReportedAt}, and per stream in {@code backlog}.
 * A box that never reported one (an older agent) shows {@code null} for all of them: unknown,
 * not 0. Stateless.
 */
final class DeviceLag {

    /** One stream of one device. */
    record StreamLag(String stream, long ackedSeq, long lostEvents, Optional<Instant> newestOccurredAt,
                     Optional<Instant> newestReceivedAt, Optional<Long> lagSeconds, Optional<Long> deliverySeconds) {
    }

    private DeviceLag() {
    }

    static List<StreamLag> streams(EventStore store, String device, Instant now) {
        DeclaredGaps gaps = store.gaps(device);
        List<StreamLag> out = new ArrayList<>();
        for (Map.Entry<String, Long> mark : new TreeMap<>(store.marks(device).ackedSeq()).entrySet()) {
            long acked = mark.getValue();
            List<StoredEvent> newest = acked < 1 ? List.of() : store.events(device, mark.getKey(), acked - 1, 1);
            Optional<StoredEvent> e = newest.stream().filter(n -> n.seq() == acked).findFirst();
            out.add(new StreamLag(mark.getKey(), acked, gaps.lost(mark.getKey()), e.map(StoredEvent::occurredAt),
                    e.map(StoredEvent::receivedAt),
                    e.map(n -> Math.max(0, Duration.between(n.occurredAt(), now).toSeconds())),
                    e.map(n -> Math.max(0, Duration.between(n.occurredAt(), n.receivedAt()).toSeconds()))));
        }
        return out;
    }

    static HttpReply answer(EventStore store, List<RegisteredDevice> devices, Map<String, ReportedBacklog> backlogs, Instant now,
                            boolean csv) {
        if (csv) {
            // The backlog columns come last, so readers of the older layout keep their column numbers.
            Csv out = new Csv().line(List.of("device", "school", "revoked_at", "last_contact", "contact_age_seconds", "stream",
                    "acked_seq", "lost_events", "newest_occurred_at", "newest_received_at", "lag_seconds", "delivery_seconds",
                    "behind_events", "behind_seconds", "backlog_reported_at"));
            for (RegisteredDevice d : devices) {
                List<StreamLag> streams = streams(store, d.id(), now);
                Optional<ReportedBacklog> b = Optional.ofNullable(backlogs.get(d.id()));
                List<Object> backlogColumns = List.of(text(b.map(r -> r.backlog().totalEvents())),
                        text(b.flatMap(r -> r.backlog().behindSeconds(now))), text(b.map(ReportedBacklog::reportedAt)));
                if (streams.isEmpty()) {
                    List<Object> line = new ArrayList<>(deviceColumns(d, now));
                    line.addAll(List.of("", "", "", "", "", "", ""));
                    line.addAll(backlogColumns);
                    out.line(line);
                }
                for (StreamLag s : streams) {
                    List<Object> line = new ArrayList<>(deviceColumns(d, now));
                    line.addAll(List.of(s.stream(), s.ackedSeq(), s.lostEvents(), text(s.newestOccurredAt()),
                            text(s.newestReceivedAt()), text(s.lagSeconds()), text(s.deliverySeconds())));
                    line.addAll(backlogColumns);
                    out.line(line);
                }
            }
            return HttpReply.bytes(200, QueryApi.CSV, out.text().getBytes(StandardCharsets.UTF_8));
        }
        return JsonAnswers.json(g -> {
            g.writeStartObject();
            g.writeStringField("time", now.toString());
            g.writeArrayFieldStart("devices");
            for (RegisteredDevice d : devices) {
                g.writeStartObject();
                g.writeStringField("id", d.id());
                g.writeStringField("school", d.school());
                g.writeStringField("createdAt", d.createdAt().toString());
                g.writeStringField("revokedAt", d.revokedAt().map(Instant::toString).orElse(null));
                g.writeStringField("lastContact", d.lastContact().map(Instant::toString).orElse(null));
                if (d.lastContact().isPresent()) {
                    g.writeNumberField("contactAgeSeconds", Math.max(0, Duration.between(d.lastContact().get(), now).toSeconds()));
                }
                writeBacklog(g, Optional.ofNullable(backlogs.get(d.id())), now);
                g.writeArrayFieldStart("streams");
                for (StreamLag s : streams(store, d.id(), now)) {
                    g.writeStartObject();
                    g.writeStringField("stream", s.stream());
                    g.writeNumberField("ackedSeq", s.ackedSeq());
                    g.writeNumberField("lostEvents", s.lostEvents());
                    g.writeStringField("newestOccurredAt", s.newestOccurredAt().map(Instant::toString).orElse(null));
                    g.writeStringField("newestReceivedAt", s.newestReceivedAt().map(Instant::toString).orElse(null));
                    if (s.lagSeconds().isPresent()) {
                        g.writeNumberField("lagSeconds", s.lagSeconds().get());
                        g.writeNumberField("deliverySeconds", s.deliverySeconds().get());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The device's backlog fields; all null when it never reported one (unknown, not 0). */
    private static void writeBacklog(com.fasterxml.jackson.core.JsonGenerator g, Optional<ReportedBacklog> reported, Instant now)
            throws java.io.IOException {
        if (reported.isEmpty()) {
            g.writeNullField("behindEvents");
            g.writeNullField("behindSeconds");
            g.writeNullField("backlogReportedAt");
            g.writeNullField("backlog");
            return;
        }
        Backlog b = reported.get().backlog();
        g.writeNumberField("behindEvents", b.totalEvents());
        Optional<Long> seconds = b.behindSeconds(now);
        if (seconds.isPresent()) {
            g.writeNumberField("behindSeconds", seconds.get());
        } else {
            g.writeNullField("behindSeconds");
        }
        g.writeStringField("backlogReportedAt", reported.get().reportedAt().toString());
        g.writeArrayFieldStart("backlog");
        for (Map.Entry<String, Backlog.Stream> e : b.streams().entrySet()) {
            g.writeStartObject();
            g.writeStringField("stream", e.getKey());
            g.writeNumberField("events", e.getValue().events());
            g.writeStringField("oldestUnsentAt", e.getValue().oldestUnsentAt().map(Instant::toString).orElse(null));
            Optional<Long> s = e.getValue().behindSeconds(now);
            if (s.isPresent()) {
                g.writeNumberField("behindSeconds", s.get());
            } else {
                g.writeNullField("behindSeconds");
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static List<Object> deviceColumns(RegisteredDevice d, Instant now) {
        return List.of(d.id(), d.school(), text(d.revokedAt()), text(d.lastContact()),
                text(d.lastContact().map(c -> Math.max(0, Duration.between(c, now).toSeconds()))));
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse("");
    }
}
