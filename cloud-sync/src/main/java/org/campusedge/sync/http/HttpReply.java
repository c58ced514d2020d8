package org.campusedge.sync.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response a {@link Route} returns. {@code Content-Length} and {@code Connection} are
 * set by the server; {@code headers} carries anything else ({@code Allow}, {@code Cache-Control}...).
 *
 * @param status      HTTP status code
 * @param contentType value of the {@code Content-Type} header
 * @param body        the body, possibly empty
 * @param headers     extra response headers
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public HttpReply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be in 100..599, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A reply whose body is {@code json}, already serialised. */
    public static HttpReply json(int status, String json) {
        return new HttpReply(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A plain-text reply. */
    public static HttpReply text(int status, String text) {
        return new HttpReply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A reply with an arbitrary content type and body, e.g. CSV or a static asset. */
    public static HttpReply bytes(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, body, Map.of());
    }

    /** The JSON error shape every CampusEdge service answers with: {@code {"error":code,"message":message}}. */
    public static HttpReply error(int status, String code, String message) {
        return json(status, "{\"error\":" + quote(code) + ",\"message\":" + quote(message) + "}");
    }

    /** This reply with one more header (replacing a header of the same name). */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return new HttpReply(status, contentType, body, copy);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A JSON string literal, escaped per RFC 8259 section 7 (null for null). */
    static String quote(String s) {
        return s == null ? "null" : org.campusedge.sync.wire.JsonText.quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
