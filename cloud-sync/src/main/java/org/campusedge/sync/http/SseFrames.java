package org.campusedge.sync.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Encodes the {@code text/event-stream} format (WHATWG HTML, section 9.2 "Server-sent events",
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
 * Lines end with LF, which the spec accepts alongside CRLF and CR. Netty-free.
 */
final class SseFrames {

    private SseFrames() {
    }

    /**
     * One event: {@code id:}, {@code event:}, one {@code data:} line per line of {@code data}, and
     * the blank line that dispatches it. The spec splits the stream on CRLF, LF and CR alike, so
     * a payload line break of any kind starts a new {@code data:} line; the client joins them
     * back with LF (section 9.2.6, "If the field name is data").
     *
     * @throws IllegalArgumentException if {@code id} or {@code name} contains a line break (it
     *                                  would end the field early) or {@code id} contains NUL
     *                                  (the client would ignore the id, section 9.2.6 "id")
     */
    static byte[] event(String id, String name, String data) {
        return withId(id, body(name, data));
    }

    /** An event without its {@code id:} line, see {@link #event}; encoded before an id is known. */
    static byte[] body(String name, String data) {
        checkField("event name", name);
        StringBuilder b = new StringBuilder(data.length() + name.length() + 32);
        b.append("event: ").append(name).append('\n');
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                // "data: " then the line: the parser strips exactly one space after the colon,
                // so a line that itself starts with a space keeps it.
                b.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        b.append("data: ").append(data, start, data.length()).append('\n');
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code id: <id>} then {@code body}, as made by {@link #body}. */
    static byte[] withId(String id, byte[] body) {
        checkField("id", id);
        if (id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SSE id must not contain NUL");
        }
        byte[] line = ("id: " + id + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[line.length + body.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(body, 0, out, line.length, body.length);
        return out;
    }

    /** A comment line, ignored by clients; keeps proxies and the browser seeing a live stream. */
    static byte[] comment(String text) {
        checkField("comment", text);
        return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code retry:} field: the client's reconnection delay, in milliseconds. */
    static byte[] retry(Duration delay) {
        return ("retry: " + delay.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if {@code value} contains CR or LF */
    static void checkField(String what, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE " + what + " must not contain a line break, got \""
                    + value.replace("\r", "\\r").replace("\n", "\\n") + "\"");
        }
    }
}
