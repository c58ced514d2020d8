package org.campusedge.sync.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An EventSource stand-in for tests: java.net.http.HttpClient, the stream read line by line on
 * a thread of its own and parsed as the WHATWG spec says (section 9.2.6), into events and
 * comments. The stream ending (EOF) or failing is an item too.
 */
final class SseTestClient implements AutoCloseable {

    /** What the parser saw: an event, a comment, a retry field, or the end of the stream. */
    record Item(Kind kind, String id, String event, String data) {
        enum Kind { EVENT, COMMENT, RETRY, END, FAILED }

        long seq() {
            return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
        }
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseTestClient(HttpResponse<InputStream> response, String name) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client-" + name);
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    static SseTestClient open(HttpClient client, String url, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseTestClient(client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), url);
    }

    static SseTestClient open(HttpClient client, String url) throws IOException, InterruptedException {
        return open(client, url, null);
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /** The body of a refused (non-200) response. */
    String errorBody() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next item; fails the test if none comes within {@link #WAIT}. */
    Item next() throws InterruptedException {
        Item item = items.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no SSE item within " + WAIT);
        }
        return item;
    }

    /** The next event, skipping comments and retry fields. */
    Item nextEvent() throws InterruptedException {
        for (Item i = next(); ; i = next()) {
            if (i.kind() == Item.Kind.EVENT || i.kind() == Item.Kind.END || i.kind() == Item.Kind.FAILED) {
                return i;
            }
        }
    }

    /** Skips to the next item of {@code kind}. */
    Item nextOf(Item.Kind kind) throws InterruptedException {
        for (Item i = next(); ; i = next()) {
            if (i.kind() == kind) {
                return i;
            }
            if (i.kind() == Item.Kind.END || i.kind() == Item.Kind.FAILED) {
                throw new AssertionError("stream ended (" + i + ") before a " + kind);
            }
        }
    }

    private void read() {
        // BufferedReader splits on CRLF, LF and CR, exactly the SSE line rule.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = "message";
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        items.add(new Item(Item.Kind.EVENT, id, event, data.substring(0, data.length() - 1)));
                    }
                    event = "message";
                    data = null;
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "" -> items.add(new Item(Item.Kind.COMMENT, null, null, value));
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = (data == null ? new StringBuilder() : data).append(value).append('\n');
                    case "retry" -> items.add(new Item(Item.Kind.RETRY, null, null, value));
                    default -> { }
                }
            }
            items.add(new Item(Item.Kind.END, null, null, null));
        } catch (IOException e) {
            items.add(new Item(Item.Kind.FAILED, null, null, e.toString()));
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
