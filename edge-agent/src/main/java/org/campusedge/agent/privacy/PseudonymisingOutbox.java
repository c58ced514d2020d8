package org.campusedge.agent.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.sync.uplink.Outbox;
import org.campusedge.sync.wire.WireEvent;
import org.campusedge.sync.wire.WireGap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's outbox as the city sees it: every event's configured fields (card numbers, by
 * default) replaced by their pseudonym on the way out. The journal on the box keeps the real
 * values, which the door, the local dashboard and a restore need; only what leaves is changed.
 */
public final class PseudonymisingOutbox implements Outbox {

    private final Outbox journal;
    private final CardPseudonymiser pseudonymiser;

    public PseudonymisingOutbox(Outbox journal, CardPseudonymiser pseudonymiser) {
        this.journal = journal;
        this.pseudonymiser = pseudonymiser;
    }

    @Override
    public List<String> streams() {
        return journal.streams();
    }

    @Override
    public long ackedSeq(String stream) {
        return journal.ackedSeq(stream);
    }

    @Override
    public long lastSeq(String stream) {
        return journal.lastSeq(stream);
    }

    @Override
    public java.util.Optional<java.time.Instant> occurredAfter(String stream, long seq) {
        return journal.occurredAfter(stream, seq); // times are not pseudonymised
    }

    @Override
    public List<WireEvent> after(String stream, long afterSeq, int max) {
        List<WireEvent> events = journal.after(stream, afterSeq, max);
        List<WireEvent> out = new ArrayList<>(events.size());
        for (WireEvent e : events) {
            out.add(pseudonymise(e));
        }
        return out;
    }

    WireEvent pseudonymise(WireEvent e) {
        String json = e.payloadJson();
        boolean mentions = false;
        for (String f : pseudonymiser.fields()) {
            if (json.contains("\"" + f + "\"")) {
                mentions = true;
                break;
            }
        }
        if (!mentions) {
            return e;
        }
        try {
            JsonNode tree = EventJson.MAPPER.readTree(json);
            if (!(tree instanceof ObjectNode body)) {
                return e;
            }
            boolean changed = false;
            for (String f : pseudonymiser.fields()) {
                JsonNode v = body.get(f);
                if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                    body.put(f, pseudonymiser.pseudonym(v.asText()));
                    changed = true;
                }
            }
            return changed ? new WireEvent(e.seq(), e.type(), e.occurredAt(), EventJson.MAPPER.writeValueAsString(body)) : e;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot pseudonymise event " + e.seq() + " of type " + e.type(), ex);
        }
    }

    @Override
    public void acknowledge(String stream, long seq) {
        journal.acknowledge(stream, seq);
    }

    @Override
    public List<WireGap> undeclaredGaps(String stream) {
        return journal.undeclaredGaps(stream);
    }

    @Override
    public void gapDeclared(String stream, WireGap gap) {
        journal.gapDeclared(stream, gap);
    }
}
