package org.campusedge.sync.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Download routes ({@link Router#download}): bodies written in chunks as they are produced, the
 * writer held back while the client does not read, HTTP/1.0 clients served a close-delimited body,
 * the connection reused after a chunked body, and a writer failing midway ending the connection
 * without the last chunk (so the client cannot take a cut body for a whole one).
 */
class HttpDownloadIT {

    private static final int BLOCK = 64 * 1024;
    private static final int BLOCKS = 512; // 32 MiB: more than socket buffers can hide
    private final AtomicLong written = new AtomicLong();
    private HttpServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws HttpBindException {
        Router router = new Router()
                .download("/blocks", (req, p) -> {
                    int n = Integer.parseInt(req.queryParam("n").orElse(String.valueOf(BLOCKS)));
                    if (n < 0) {
                        return BodyAnswer.reply(HttpReply.error(400, "bad_query", "n must not be negative"));
                    }
                    return BodyAnswer.stream("application/octet-stream", Map.of("Content-Disposition", "attachment"), out -> {
                        byte[] block = new byte[BLOCK];
                        for (int i = 0; i < n; i++) {
                            java.util.Arrays.fill(block, (byte) i);
                            out.write(block);
                            written.addAndGet(BLOCK);
                        }
                    });
                })
                .download("/broken", (req, p) -> BodyAnswer.stream("text/plain", Map.of(), out -> {
                    out.write("first part\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
                    throw new IllegalStateException("the source failed");
                }))
                .get("/small", (req, p) -> HttpReply.text(200, "small"));
        server = new HttpServer("download", List.of("127.0.0.1"), 0, 1024, router);
        server.start();
    }

    @Test
    @Timeout(60)
    void a_large_body_is_sent_in_chunks_and_the_writer_waits_for_a_client_that_does_not_read() throws Exception {
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(64 * 1024);
            RawHttp.write(s, "GET /blocks HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(1500); // not reading: the writer must stop well short of the whole body
            long whileStalled = written.get();
            assertThat(whileStalled).isLessThan((long) BLOCK * BLOCKS / 2);
            Map<String, String> head = head(s.getInputStream());
            assertThat(head).containsEntry("status", "200").containsEntry("transfer-encoding", "chunked")
                    .containsEntry("content-disposition", "attachment").doesNotContainKey("content-length");
            byte[] body = dechunk(s.getInputStream());
            assertThat(body).hasSize(BLOCK * BLOCKS);
            for (int i = 0; i < BLOCKS; i++) {
                assertThat(body[i * BLOCK]).isEqualTo((byte) i);
                assertThat(body[i * BLOCK + BLOCK - 1]).isEqualTo((byte) i);
            }
            // The connection carries on after the last chunk.
            RawHttp.write(s, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response next = RawHttp.read(s);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("small");
        }
        assertThat(server.stats().status2xx()).isEqualTo(2);
    }

    @Test
    @Timeout(30)
    void an_http_1_0_client_gets_a_body_ended_by_the_close_and_a_refusal_is_an_ordinary_reply() throws Exception {
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            RawHttp.write(s, "GET /blocks?n=3 HTTP/1.0\r\n\r\n");
            Map<String, String> head = head(s.getInputStream());
            assertThat(head).containsEntry("status", "200").containsEntry("connection", "close").doesNotContainKey("transfer-encoding");
            assertThat(s.getInputStream().readAllBytes()).hasSize(3 * BLOCK);
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            RawHttp.write(s, "GET /blocks?n=-1 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = RawHttp.read(s);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("n must not be negative");
        }
        assertThat(server.stats().status4xx()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void a_writer_that_fails_midway_ends_the_connection_without_the_last_chunk() throws Exception {
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            RawHttp.write(s, "GET /broken HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(head(s.getInputStream())).containsEntry("status", "200");
            assertThatEndsWithoutLastChunk(s.getInputStream());
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            RawHttp.write(s, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(RawHttp.read(s).status()).as("the server carries on").isEqualTo(200);
        }
    }

    private static void assertThatEndsWithoutLastChunk(InputStream in) throws IOException {
        try {
            dechunk(in);
        } catch (java.io.EOFException expected) {
            return;
        }
        throw new AssertionError("the body ended with a last chunk although its writer failed");
    }

    /** The status line and headers, lower-cased names, the status under "status". */
    private static Map<String, String> head(InputStream in) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        String status = line(in);
        out.put("status", status.split(" ")[1]);
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            out.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        return out;
    }

    /** A chunked body (RFC 9112 section 7.1) up to its last chunk; EOFException if the connection ends first. */
    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new java.io.EOFException("connection ended inside a chunk");
            }
            body.write(chunk);
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new java.io.EOFException("connection ended in a line");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
