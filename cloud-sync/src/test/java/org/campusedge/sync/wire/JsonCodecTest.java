package org.campusedge.sync.wire;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCodecTest {

    private static final Instant AT = Instant.parse("2025-03-01T08:15:30.250Z");

    private static IngestBatch batch() {
        return IngestBatch.of("school-042-box-1", "priority", List.of(
                new WireEvent(41, "card.tap", AT, "{\"reader\": \"studio-a\", \"card\": \"04a1b2c3\"}"),
                new WireEvent(42, "access.decision", AT.plusMillis(12), "{\"granted\":true,\"level\":1.50,\"tags\":[1,2]}")));
    }

    @Test
    void batch_survives_a_round_trip_with_payloads_compacted() throws Exception {
        IngestBatch decoded = JsonCodec.decode(JsonCodec.encode(batch()), IngestBatch.class);

        assertThat(decoded.deviceId()).isEqualTo("school-042-box-1");
        assertThat(decoded.fromSeq()).isEqualTo(41);
        assertThat(decoded.toSeq()).isEqualTo(42);
        assertThat(decoded.events()).extracting(WireEvent::seq, WireEvent::type, WireEvent::occurredAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(41L, "card.tap", AT),
                org.assertj.core.groups.Tuple.tuple(42L, "access.decision", AT.plusMillis(12)));
        assertThat(decoded.events().get(0).payloadJson()).isEqualTo("{\"reader\":\"studio-a\",\"card\":\"04a1b2c3\"}");
        assertThat(decoded.events().get(1).payloadJson()).isEqualTo("{\"granted\":true,\"level\":1.50,\"tags\":[1,2]}");
    }

    @Test
    void payload_travels_as_a_json_object_and_instants_as_iso_strings() throws Exception {
        JsonNode tree = JsonCodec.mapper().readTree(JsonCodec.encode(batch()));

        JsonNode first = tree.get("events").get(0);
        assertThat(first.get("payload").isObject()).isTrue();
        assertThat(first.get("payload").get("reader").asText()).isEqualTo("studio-a");
        assertThat(first.get("occurredAt").asText()).isEqualTo("2025-03-01T08:15:30.250Z");
        assertThat(tree.get("fromSeq").asLong()).isEqualTo(41);
    }

    @Test
    void the_room_does_not_travel_on_the_wire() throws Exception {
        String wire = "{\"deviceId\":\"b\",\"stream\":\"s\",\"fromSeq\":1,\"toSeq\":2,\"events\":["
                + "{\"seq\":1,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:15:30.250Z\",\"payload\":{\"room\":\"lab-1\",\"n\":1}},"
                + "{\"seq\":2,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:15:30.250Z\",\"payload\":{\"n\":2}}]}";
        IngestBatch made = IngestBatch.of("b", "s", List.of(
                new WireEvent(1, "t", AT, "{\"room\":\"lab-1\",\"n\":1}"), new WireEvent(2, "t", AT, "{\"n\":2}")));
        IngestBatch decoded = JsonCodec.decode(wire, IngestBatch.class);

        assertThat(decoded.events()).extracting(WireEvent::room).containsExactly("lab-1", null);
        assertThat(JsonCodec.encodeString(made)).isEqualTo(wire);
        assertThat(JsonCodec.encodeString(decoded)).as("with rooms read by the decoder").isEqualTo(wire);
    }

    @Test
    void decodes_the_documented_example_batch() throws Exception {
        String json = """
                {"deviceId":"school-042-box-1","stream":"priority","fromSeq":41,"toSeq":42,"events":[
                 {"seq":41,"type":"card.tap","occurredAt":"2025-03-01T08:15:30.250Z","payload":{"reader":"studio-a","card":"04a1b2c3"}},
                 {"seq":42,"type":"access.decision","occurredAt":"2025-03-01T08:15:30.262Z","payload":{"reader":"studio-a","granted":true,"rule":"booking"}}],
                 "someFutureField":"ignored"}""";

        IngestBatch decoded = JsonCodec.decode(json, IngestBatch.class);

        assertThat(decoded.size()).isEqualTo(2);
        assertThat(decoded.events().get(1).payloadJson()).isEqualTo("{\"reader\":\"studio-a\",\"granted\":true,\"rule\":\"booking\"}");
    }

    @Test
    void refuses_a_payload_that_is_not_an_object_naming_the_event() {
        String json = """
                {"deviceId":"b","stream":"s","fromSeq":1,"toSeq":1,"events":[
                 {"seq":1,"type":"t","occurredAt":"2025-03-01T08:15:30Z","payload":"{\\"a\\":1}"}]}""";

        assertThatThrownBy(() -> JsonCodec.decode(json, IngestBatch.class))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("events[0]")
                .hasMessageContaining("payload: must be a JSON object");
    }

    @Test
    void explains_an_invalid_batch_in_the_exception_message() {
        String gap = """
                {"deviceId":"b","stream":"s","fromSeq":1,"toSeq":2,"events":[
                 {"seq":1,"type":"t","occurredAt":"2025-03-01T08:15:30Z","payload":{}},
                 {"seq":3,"type":"t","occurredAt":"2025-03-01T08:15:30Z","payload":{}}]}""";
        String missing = "{\"deviceId\":\"b\",\"fromSeq\":1,\"toSeq\":1,\"events\":[]}";

        assertThatThrownBy(() -> JsonCodec.decode(gap, IngestBatch.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("events[1] has seq 3, expected 2");
        assertThatThrownBy(() -> JsonCodec.decode(missing, IngestBatch.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("stream");
        assertThatThrownBy(() -> JsonCodec.decode("{not json", IngestBatch.class))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> JsonCodec.decode("null", IngestBatch.class))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void refuses_to_encode_an_event_whose_payload_is_not_an_object() {
        IngestBatch bad = IngestBatch.of("b", "s", List.of(new WireEvent(1, "t", AT, "[1,2]")));

        assertThatThrownBy(() -> JsonCodec.encode(bad))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("payloadJson must be a JSON object");
    }

    @Test
    void other_wire_records_round_trip() throws Exception {
        IngestAck ack = new IngestAck("b", "s", 42, 40, 2);
        StreamMarks marks = new StreamMarks("b", Map.of("priority", 42L, "readings", 7L));
        WireError gap = new WireError("gap", "resend", 17L);

        assertThat(JsonCodec.decode(JsonCodec.encode(ack), IngestAck.class)).isEqualTo(ack);
        assertThat(JsonCodec.decode(JsonCodec.encode(marks), StreamMarks.class)).isEqualTo(marks);
        assertThat(JsonCodec.decode(JsonCodec.encode(gap), WireError.class)).isEqualTo(gap);
        assertThat(JsonCodec.encodeString(WireError.of("x", "y"))).isEqualTo("{\"error\":\"x\",\"message\":\"y\"}");
        assertThat(marks.acked("missing")).isZero();
    }

    @Test
    void gzip_round_trips_and_gunzip_stops_at_the_limit() throws Exception {
        byte[] data = "a".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        byte[] packed = JsonCodec.gzip(data);

        assertThat(packed.length).isLessThan(1_000);
        assertThat(JsonCodec.gunzip(packed, 100_000)).isEqualTo(data);
        assertThatThrownBy(() -> JsonCodec.gunzip(packed, 99_999))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("99999");
        assertThatThrownBy(() -> JsonCodec.gunzip(data, 10))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("gzip");
    }
}
