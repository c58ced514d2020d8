package org.campusedge.sync.http;

import java.util.Map;
import java.util.Objects;

/** What a {@link BodyRoute} decides: an ordinary reply, or a body streamed in chunks. */
public sealed interface BodyAnswer permits BodyAnswer.Reply, BodyAnswer.Stream {

    /** An ordinary, complete reply (an error, or a small answer). */
    static BodyAnswer reply(HttpReply reply) {
        return new Reply(reply);
    }

    /**
     * A {@code 200} whose body {@code writer} writes. HTTP/1.1 clients get it with
     * {@code Transfer-Encoding: chunked} (RFC 9112 section 7.1); HTTP/1.0 clients get it delimited
     * by the server closing the connection.
     */
    static BodyAnswer stream(String contentType, Map<String, String> headers, BodyWriter writer) {
        return new Stream(contentType, headers, writer);
    }

    /** @param reply the reply sent */
    record Reply(HttpReply reply) implements BodyAnswer {
        public Reply {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * @param contentType the {@code Content-Type}
     * @param headers     extra response headers ({@code Content-Disposition}...)
     * @param writer      writes the body
     */
    record Stream(String contentType, Map<String, String> headers, BodyWriter writer) implements BodyAnswer {
        public Stream {
            Objects.requireNonNull(contentType, "contentType");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(writer, "writer");
        }
    }
}
