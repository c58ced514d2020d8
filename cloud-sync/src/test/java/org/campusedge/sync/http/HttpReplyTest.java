package org.campusedge.sync.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpReplyTest {

    @Test
    void error_body_is_json_with_code_and_escaped_message() throws Exception {
        HttpReply reply = HttpReply.error(400, "bad_request", "field \"x\"\nis \\ wrong\u0001");

        JsonNode body = new ObjectMapper().readTree(reply.body());
        assertThat(reply.contentType()).isEqualTo("application/json");
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("message").asText()).isEqualTo("field \"x\"\nis \\ wrong\u0001");
    }

    @Test
    void with_header_returns_a_copy_with_the_extra_header() {
        HttpReply plain = HttpReply.text(200, "hi");
        HttpReply withCache = plain.withHeader("Cache-Control", "no-store");

        assertThat(plain.headers()).isEmpty();
        assertThat(withCache.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(withCache.body()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void request_view_finds_headers_case_insensitively_and_the_first_query_value() {
        HttpRequestView view = new HttpRequestView("GET", "/x", Map.of("limit", List.of("5", "9")),
                Map.of("authorization", "Bearer t"), new byte[0], new InetSocketAddress("127.0.0.1", 1));

        assertThat(view.header("Authorization")).isEqualTo("Bearer t");
        assertThat(view.header("X-Missing")).isNull();
        assertThat(view.queryParam("limit")).contains("5");
        assertThat(view.queryParam("offset")).isEmpty();
    }
}
