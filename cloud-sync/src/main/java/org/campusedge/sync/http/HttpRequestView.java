package org.campusedge.sync.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One complete HTTP request as a {@link Route} sees it: no Netty types, the body already
 * aggregated (and gunzipped if it was sent with {@code Content-Encoding: gzip}).
 *
 * @param method  upper-case method, e.g. {@code GET}
 * @param path    the path as sent, without the query and still percent-encoded, e.g.
 *                {@code /v1/devices/box-1/streams}; {@link Router} decodes path parameters
 * @param query   decoded query parameters, in order of appearance
 * @param headers header values by lower-case name; repeated headers are joined with {@code ", "}
 * @param body    the request body, empty if none
 * @param remote  the peer's address
 */
public record HttpRequestView(String method, String path, Map<String, List<String>> query,
                              Map<String, String> headers, byte[] body, InetSocketAddress remote) {

    public HttpRequestView {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The header's value, or null if absent; the name is matched case-insensitively. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
