package org.campusedge.sync.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestBatchDecoderTest {

    private static final String EVENT = "{\"seq\":%d,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:15:30Z\",\"payload\":%s}";

    private static String batch(String... payloads) {
        StringBuilder b = new StringBuilder("{\"deviceId\":\"b\",\"stream\":\"s\",\"fromSeq\":1,\"toSeq\":" + payloads.length + ",\"events\":[");
        for (int i = 0; i < payloads.length; i++) {
            b.append(i == 0 ? "" : ",").append(String.format(EVENT, i + 1, payloads[i]));
        }
        return b.append("]}").toString();
    }

    private static IngestBatch decode(String json) throws WireFormatException {
        return JsonCodec.decode(json.getBytes(StandardCharsets.UTF_8), IngestBatch.class);
    }

    @Test
    void takes_each_payload_as_sent_without_rebuilding_numbers_or_escapes() throws Exception {
        String payload = "{\"level\":1.50,\"big\":123456789012345678901234567890,\"exp\":1e400,\"q\":\"a\\\"b\\\\\",\"u\":\"\\u00e9 ü\"}";

        IngestBatch decoded = decode(batch(payload));

        assertThat(decoded.events().get(0).payloadJson()).isEqualTo(payload);
    }

    @Test
    void drops_whitespace_between_tokens_but_keeps_it_inside_strings() throws Exception {
        IngestBatch decoded = decode(batch("{ \"room\" :\t\"studio 3\" ,\n \"tags\" : [ 1 , \"a \\\" b\" ] }"));

        assertThat(decoded.events().get(0).payloadJson()).isEqualTo("{\"room\":\"studio 3\",\"tags\":[1,\"a \\\" b\"]}");
    }

    @Test
    void reads_fields_in_any_order_and_ignores_unknown_ones_of_any_shape() throws Exception {
        String json = "{\"events\":[{\"payload\":{},\"x\":[{\"y\":1}],\"occurredAt\":\"2025-03-01T08:15:30.250Z\",\"type\":\"t\",\"seq\":7}],"
                + "\"future\":{\"a\":[1,2,{}]},\"toSeq\":7,\"stream\":\"s\",\"fromSeq\":7,\"deviceId\":\"b\"}";

        IngestBatch decoded = decode(json);

        assertThat(decoded.events()).containsExactly(new WireEvent(7, "t", Instant.parse("2025-03-01T08:15:30.250Z"), "{}"));
    }

    @Test
    void mapper_callers_get_the_same_batch_as_the_byte_decoder() throws Exception {
        String json = batch("{ \"a\" : [1, 2.50] }", "{\"b\":{\"c\":null}}");

        IngestBatch viaMapper = JsonCodec.mapper().readValue(json, IngestBatch.class);

        assertThat(viaMapper).isEqualTo(decode(json));
        assertThat(viaMapper.events().get(0).payloadJson()).isEqualTo("{\"a\":[1,2.50]}");
    }

    @Test
    void refuses_payloads_that_are_not_objects_naming_the_event() {
        for (String notAnObject : List.of("[1,2]", "\"{}\"", "1", "null", "true")) {
            assertThatThrownBy(() -> decode(batch("{}", notAnObject)))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessage("events[1].payload: must be a JSON object");
        }
    }

    @Test
    void refuses_truncated_json_at_every_length() {
        byte[] whole = batch("{\"room\":\"lab\",\"n\":[1,{\"x\":\"y\"}]}", "{}").getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> JsonCodec.decode(cut, IngestBatch.class)).as("cut at %d", n)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void refuses_malformed_payload_json_that_a_raw_slice_would_otherwise_carry() {
        for (String bad : List.of("{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}", "{\"a\" 1}", "{\"a\":1,}", "{'a':1}", "{\"a\":\"\u0001\"}",
                "{\"a\":\"\\x\"}", "{\"a\":[1 2]}")) {
            assertThatThrownBy(() -> decode(batch(bad))).as(bad)
                    .isInstanceOf(WireFormatException.class).hasMessageStartingWith("events[0].payload: ");
        }
    }

    @Test
    void refuses_invalid_utf8_inside_a_payload() {
        byte[] json = batch("{\"a\":\"xx\"}").getBytes(StandardCharsets.UTF_8);
        String text = new String(json, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("xx");
        json[at] = (byte) 0xC3; // a two-byte lead followed by 'x', not a continuation byte

        assertThatThrownBy(() -> JsonCodec.decode(json, IngestBatch.class)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void refuses_duplicate_fields_at_every_level() {
        String dupInPayload = batch("{\"a\":1,\"a\":2}");
        String dupInEvent = "{\"deviceId\":\"b\",\"stream\":\"s\",\"fromSeq\":1,\"toSeq\":1,\"events\":["
                + "{\"seq\":1,\"seq\":1,\"type\":\"t\",\"occurredAt\":\"2025-03-01T08:15:30Z\",\"payload\":{}}]}";
        String dupInBatch = batch("{}").replace("\"stream\":\"s\"", "\"stream\":\"s\",\"stream\":\"x\"");

        assertThatThrownBy(() -> decode(dupInPayload)).isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("events[0].payload: ").hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> decode(dupInEvent)).isInstanceOf(WireFormatException.class).hasMessage("events[0]: Duplicate field 'seq'");
        assertThatThrownBy(() -> decode(dupInBatch)).isInstanceOf(WireFormatException.class).hasMessage("Duplicate field 'stream'");
    }

    @Test
    void refuses_a_payload_field_given_twice_in_any_object_of_the_payload() {
        List<List<String>> cases = List.of(
                List.of("{\"a\":1,\"a\":2}", "a"),                                       // top level
                List.of("{\"a\":{\"b\":1,\"c\":{},\"b\":2}}", "b"),                       // nested object
                List.of("{\"list\":[{\"x\":1},{\"x\":1,\"y\":[],\"x\":2}]}", "x"),           // object in an array
                List.of("{\"a\":{\"b\":1},\"c\":[{\"a\":1}],\"a\":2}", "a"),                // again after a nested one
                List.of("{\"r\\u006fom\":\"x\",\"room\":\"y\"}", "room"));                   // once spelt with an escape
        for (List<String> c : cases) {
            assertThatThrownBy(() -> decode(batch("{}", c.get(0)))).as(c.get(0))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessage("events[1].payload: Duplicate field '" + c.get(1) + "'");
        }
    }

    @Test
    void takes_the_same_name_in_different_objects_and_in_sibling_objects() throws Exception {
        String payload = "{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1,\"b\":2},{\"a\":1,\"b\":2}],\"c\":{\"b\":{},\"c\":[]}}";

        IngestBatch decoded = decode(batch(payload, payload));

        assertThat(decoded.events()).extracting(WireEvent::payloadJson).containsExactly(payload, payload);
    }

    @Test
    void checks_duplicates_in_objects_with_many_fields() throws Exception {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 3 * FieldNames.LINEAR; i++) {
            many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        String distinct = many + "}";

        assertThat(decode(batch(distinct)).events().get(0).payloadJson()).isEqualTo(distinct);
        for (int again : List.of(0, FieldNames.LINEAR - 1, FieldNames.LINEAR, 3 * FieldNames.LINEAR - 1)) {
            assertThatThrownBy(() -> decode(batch(many + ",\"f" + again + "\":0}"))).as("f%d again", again)
                    .isInstanceOf(WireFormatException.class).hasMessage("events[0].payload: Duplicate field 'f" + again + "'");
        }
    }

    @Test
    void refuses_duplicates_inside_fields_it_otherwise_ignores() {
        String inBatch = batch("{}").replace("\"stream\":\"s\"", "\"future\":{\"x\":[{\"a\":1,\"a\":2}]},\"stream\":\"s\"");
        String inEvent = batch("{}").replace("\"type\":\"t\"", "\"type\":\"t\",\"extra\":{\"a\":1,\"a\":2}");

        assertThatThrownBy(() -> decode(inBatch)).isInstanceOf(WireFormatException.class).hasMessage("future: Duplicate field 'a'");
        assertThatThrownBy(() -> decode(inEvent)).isInstanceOf(WireFormatException.class)
                .hasMessage("events[0].extra: Duplicate field 'a'");
    }

    @Test
    void mapper_callers_still_get_duplicates_refused() {
        String json = batch("{\"a\":{\"b\":1,\"b\":2}}");

        assertThatThrownBy(() -> JsonCodec.mapper().readValue(json, IngestBatch.class))
                .hasMessageContaining("events[0].payload: Duplicate field 'b'");
    }

    @Test
    void the_parser_it_uses_leaves_duplicates_to_it() throws Exception {
        // Guards the saving: were the parser to check as well, every field would be checked twice.
        try (com.fasterxml.jackson.core.JsonParser p = JsonCodec.parserWithoutDuplicateCheck(
                "{\"a\":{\"b\":1,\"b\":2},\"a\":3}".getBytes(StandardCharsets.UTF_8))) {
            int tokens = 0;
            while (p.nextToken() != null) {
                tokens++;
            }
            assertThat(tokens).isEqualTo(11);
        }
    }

    @Test
    void picks_up_the_payloads_top_level_room_string() throws Exception {
        IngestBatch decoded = decode(batch(
                "{\"reader\":\"studio-door\",\"room\":\"studio-3\",\"door\":\"main\"}",
                "{\"card\":\"0A\"}",                                                  // none
                "{\"reader\":{\"room\":\"r1\"},\"list\":[{\"room\":\"r2\"}],\"n\":{\"a\":{\"room\":\"r3\"}}}", // only nested ones
                "{\"reader\":{\"room\":\"nested\"},\"room\":\"maker-2\"}",                  // nested first, then its own
                "{\"room\":7}",
                "{\"room\":null}",
                "{\"room\":true}",
                "{\"room\":{\"room\":\"x\"}}",
                "{\"room\":[\"x\"]}",
                "{ \"room\" : \"lab \\\"3\\\" \\u00e9\\\\\" }",                                // escapes in the value
                "{\"r\\u006fom\":\"maker-1\"}",                                          // escape in the name
                "{\"rooms\":\"x\",\"Room\":\"y\",\"room \":\"z\"}"));

        assertThat(decoded.events()).extracting(WireEvent::room).containsExactly(
                "studio-3", null, null, "maker-2", null, null, null, null, null, "lab \"3\" \u00e9\\", "maker-1", null);
    }

    @Test
    void mapper_callers_get_the_room_too() throws Exception {
        String json = batch("{\"a\":[{\"room\":\"x\"}],\"room\":\"lab-2\"}", "{\"room\":1}");

        IngestBatch viaMapper = JsonCodec.mapper().readValue(json, IngestBatch.class);

        assertThat(viaMapper.events()).extracting(WireEvent::room).containsExactly("lab-2", null);
    }

    @Test
    void presizes_nothing_absurd_for_a_batch_that_lies_about_its_range() {
        String lie = batch("{}").replace("\"toSeq\":1", "\"toSeq\":9223372036854775807");
        String upsideDown = batch("{}").replace("\"fromSeq\":1,\"toSeq\":1", "\"fromSeq\":5,\"toSeq\":-9223372036854775808");

        assertThatThrownBy(() -> decode(lie)).isInstanceOf(WireFormatException.class).hasMessageContaining("holds 1 events");
        assertThatThrownBy(() -> decode(upsideDown)).isInstanceOf(WireFormatException.class).hasMessageContaining("holds 1 events");
    }

    @Test
    void reads_each_events_type_and_time_whatever_the_event_before_had() throws Exception {
        List<String> types = List.of("access.decision", "access.decision", "sensor.reading", "access.decisions", "access.decision", "\u00e9");
        List<String> times = List.of("2025-03-01T08:15:30Z", "2025-03-01T08:15:30.250Z", "2025-03-01T08:15:30.123456789Z",
                "2025-03-01T23:59:60Z", "+12025-03-01T08:15:30Z", "2025-03-01T08:15:30Z");
        StringBuilder json = new StringBuilder("{\"deviceId\":\"b\",\"stream\":\"s\",\"fromSeq\":1,\"toSeq\":6,\"events\":[");
        for (int i = 0; i < types.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"seq\":").append(i + 1).append(",\"type\":\"").append(types.get(i))
                    .append("\",\"occurredAt\":\"").append(times.get(i)).append("\",\"payload\":{}}");
        }

        IngestBatch decoded = decode(json.append("]}").toString());

        assertThat(decoded.events()).extracting(WireEvent::type).containsExactlyElementsOf(types);
        assertThat(decoded.events()).extracting(WireEvent::occurredAt)
                .containsExactlyElementsOf(times.stream().map(Instant::parse).toList());
    }

    @Test
    void finds_whitespace_bytes_eight_at_a_time_as_a_byte_by_byte_scan_does() {
        java.util.Random random = new java.util.Random(42);
        byte[] sample = new byte[40];
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < sample.length; i++) {
                // mostly printable ASCII and UTF-8 bytes (>= 0x80), now and then one at or below 0x21
                sample[i] = (byte) (random.nextInt(40) == 0 ? random.nextInt(0x23) : 0x21 + random.nextInt(0xFF - 0x21));
            }
            int start = random.nextInt(sample.length);
            int end = start + random.nextInt(sample.length - start + 1);
            boolean expected = false;
            for (int i = start; i < end; i++) {
                expected |= (sample[i] & 0xFF) < 0x21;
            }
            assertThat(CompactJson.hasByteBelow0x21(sample, start, end)).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void refuses_nesting_deeper_than_the_parser_allows_without_overflowing_the_stack() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> decode(batch(deep))).isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("events[0].payload: ").hasMessageContaining("nesting depth");
    }

    @Test
    void carries_a_huge_string_in_a_payload_intact() throws Exception {
        String big = "x".repeat(3_000_000);

        IngestBatch decoded = decode(batch("{\"blob\":\"" + big + "\"}"));

        assertThat(decoded.events().get(0).payloadJson()).isEqualTo("{\"blob\":\"" + big + "\"}");
    }

    @Test
    void refuses_wrongly_typed_fields_naming_them() {
        assertThatThrownBy(() -> decode(batch("{}").replace("\"seq\":1", "\"seq\":\"1\"")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0].seq: must be a whole number");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"seq\":1", "\"seq\":1.5")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0].seq: must be a whole number");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"seq\":1", "\"seq\":99999999999999999999999")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0].seq: must be a whole number");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"type\":\"t\"", "\"type\":\" \"")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0].type: must be a non-empty string");
        assertThatThrownBy(() -> decode(batch("{}").replace("2025-03-01T08:15:30Z", "yesterday")))
                .isInstanceOf(WireFormatException.class).hasMessageStartingWith("events[0].occurredAt: must be an ISO-8601 instant");
        assertThatThrownBy(() -> decode(batch("{}").replace(",\"payload\":{}", "")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0].payload: must be a JSON object");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"fromSeq\":1", "\"fromSeq\":[1]")))
                .isInstanceOf(WireFormatException.class).hasMessage("fromSeq: must be a whole number");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"stream\":\"s\"", "\"stream\":5")))
                .isInstanceOf(WireFormatException.class).hasMessage("stream: must be a string");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"events\":[", "\"events\":{\"x\":[").replace("]}", "]}}")))
                .isInstanceOf(WireFormatException.class).hasMessage("events: must be an array of events");
        assertThatThrownBy(() -> decode(batch("{}").replace("\"events\":[", "\"events\":[7,")))
                .isInstanceOf(WireFormatException.class).hasMessage("events[0]: an event must be a JSON object");
    }

    @Test
    void refuses_anything_but_one_batch_object() {
        for (String body : List.of("", "   ", "[]", "null", "\"batch\"", batch("{}") + "{}", batch("{}") + "x")) {
            assertThatThrownBy(() -> decode(body)).as(body).isInstanceOf(WireFormatException.class);
        }
    }
}
