package org.campusedge.sync.center.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.campusedge.sync.http.HttpReply;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes the JSON answers of the city-wide queries with a streaming generator. Stateless. */
final class JsonAnswers {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one JSON document. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonAnswers() {
    }

    static HttpReply json(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            // A StringWriter does not fail; only a bug in a Body can get here.
            throw new UncheckedIOException(e);
        }
        return HttpReply.json(200, out.toString());
    }

    static HttpReply usage(UsageReport.Result r) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("period", r.period());
            g.writeStringField("from", r.from().toString());
            g.writeStringField("to", r.to().toString());
            g.writeStringField("zone", r.zone().getId());
            g.writeNumberField("openSessions", r.openSessions());
            g.writeNumberField("unreadableEvents", r.unreadable());
            g.writeArrayFieldStart("rows");
            for (UsageRow row : r.rows()) {
                g.writeStartObject();
                g.writeStringField("period", row.period());
                g.writeStringField("periodStart", row.periodStart());
                g.writeStringField("periodEnd", row.periodEnd());
                g.writeStringField("school", row.school());
                g.writeStringField("roomType", row.roomType());
                g.writeNumberField("rooms", row.rooms());
                g.writeNumberField("sessions", row.sessions());
                g.writeNumberField("uniqueStudents", row.uniqueStudents());
                g.writeNumberField("occupiedHours", row.occupiedHours());
                g.writeNumberField("grantedEntries", row.grantedEntries());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
