package org.campusedge.sync.center.query;

import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.RegisteredDevice;
import org.campusedge.sync.center.StoredEvent;
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
 * time minus its box time (how long it took to arrive). The center cannot know how many events a
 * box still holds unsent; the box shows that itself ({@code /api/health}). Stateless.
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

    static HttpReply answer(EventStore store, List<RegisteredDevice> devices, Instant now, boolean csv) {
        if (csv) {
            Csv out = new Csv().line(List.of("device", "school", "revoked_at", "last_contact", "contact_age_seconds", "stream",
                    "acked_seq", "lost_events", "newest_occurred_at", "newest_received_at", "lag_seconds", "delivery_seconds"));
            for (RegisteredDevice d : devices) {
                List<StreamLag> streams = streams(store, d.id(), now);
                if (streams.isEmpty()) {
                    out.line(deviceColumns(d, now));
                }
                for (StreamLag s : streams) {
                    List<Object> line = new ArrayList<>(deviceColumns(d, now));
                    line.addAll(List.of(s.stream(), s.ackedSeq(), s.lostEvents(), text(s.newestOccurredAt()),
                            text(s.newestReceivedAt()), text(s.lagSeconds()), text(s.deliverySeconds())));
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

    private static List<Object> deviceColumns(RegisteredDevice d, Instant now) {
        return List.of(d.id(), d.school(), text(d.revokedAt()), text(d.lastContact()),
                text(d.lastContact().map(c -> Math.max(0, Duration.between(c, now).toSeconds()))));
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse("");
    }
}
