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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Delivery throughput of server-sent events to many clients at once, over real loopback sockets
 * with java.net.http.HttpClient as the client. Two runs:
 * <ul>
 *   <li><b>flood</b>: room updates (keyed, one key per room) published as fast as one thread can;
 *   clients that fall behind get coalesced updates. Each client's sequence is checked: ids
 *   increase, and every id it did not get was superseded by a later id of the same room that
 *   it did get (so it ends with the latest value of every room).</li>
 *   <li><b>paced</b>: taps (never coalesced) at a fixed rate; every client must get every tap,
 *   in order, with no gap.</li>
 * </ul>
 * {@code java ... SseBenchmark [clients] [seconds] [pacedRate]} prints the figures;
 * {@link SseBenchmarkIT} runs it briefly and asserts only correctness.
 */
final class SseBenchmark {

    /** What one run measured, and every correctness violation found (empty when all is well). */
    record Result(String mode, int clients, long published, long delivered, double seconds, long coalesced,
                  long slowDisconnects, List<String> violations) {

        double deliveredPerSecond() {
            return delivered / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d clients, %,d events published in %.2f s (%,.0f/s), "
                            + "%,d deliveries (%,.0f updates/s delivered in total, %,.0f/s per client), %,d coalesced, "
                            + "%d slow clients disconnected, %d violations",
                    mode, clients, published, seconds, published / seconds, delivered, deliveredPerSecond(),
                    deliveredPerSecond() / clients, coalesced, slowDisconnects, violations.size());
        }
    }

    private static final int ROOMS = 50;
    private static final String END = "bench-end";

    private SseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        System.out.println("warm-up " + flood(clients, Duration.ofSeconds(2)));
        System.out.println(flood(clients, duration));
        System.out.println(paced(clients, duration, rate));
    }

    /** Room updates for {@code ROOMS} rooms, as fast as one publisher thread can go. */
    static Result flood(int clients, Duration duration) throws Exception {
        return run("flood", clients, duration, 0);
    }

    /** Taps at {@code perSecond}, never coalesced. */
    static Result paced(int clients, Duration duration, int perSecond) throws Exception {
        return run("paced", clients, duration, perSecond);
    }

    private static Result run(String mode, int clients, Duration duration, int perSecond) throws Exception {
        SseHub hub = new SseHub("bench", SseSettings.defaults().withMaxStreams(clients));
        Router router = new Router().stream("/stream", (req, p) -> SseAnswer.subscribe(hub));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HttpServer server = new HttpServer("bench", List.of("127.0.0.1"), 0, 4096, router)) {
            server.start();
            List<Reader> readers = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/stream")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("client " + i + " got " + r.statusCode());
                }
                Reader reader = new Reader(r.body(), done);
                readers.add(reader);
                new Thread(reader, "sse-bench-client-" + i).start();
            }
            while (hub.openStreams() < clients) {
                Thread.sleep(5);
            }

            // keyOf[seq] = room index, or -1 for an uncoalescable tap.
            int[] keyOf = new int[1 << 16];
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long seq = 0;
            String[] rooms = new String[ROOMS];
            for (int i = 0; i < ROOMS; i++) {
                rooms[i] = "room/r" + i;
            }
            if (perSecond == 0) {
                for (int n = 0; (n & 1023) != 0 || System.nanoTime() < end; n++) {
                    int room = n % ROOMS;
                    seq = hub.publish("room", rooms[room], "{\"room\":\"r" + room + "\",\"n\":" + n + "}").seq();
                    keyOf = put(keyOf, seq, room);
                }
            } else {
                long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
                long next = start;
                for (int n = 0; next < end; n++) {
                    while (System.nanoTime() < next) {
                        Thread.onSpinWait();
                    }
                    seq = hub.publish("tap", "{\"card\":\"c" + n + "\"}").seq();
                    keyOf = put(keyOf, seq, -1);
                    next += interval;
                }
            }
            long published = seq;
            hub.publish(END, "{}");
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients did not all see the end within 60 s");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> violations = new ArrayList<>();
            long delivered = 0;
            for (int i = 0; i < readers.size(); i++) {
                Reader r = readers.get(i);
                delivered += r.got.cardinality();
                violations.addAll(r.problems);
                check(i, r.got, keyOf, published, violations);
            }
            SseStats stats = server.stats().streams();
            return new Result(mode, clients, published, delivered, seconds, stats.coalesced(), stats.slowDisconnects(),
                    List.copyOf(violations));
        }
    }

    private static int[] put(int[] keyOf, long seq, int key) {
        int[] a = seq < keyOf.length ? keyOf : Arrays.copyOf(keyOf, keyOf.length * 2);
        a[(int) seq] = key;
        return a;
    }

    /**
     * Walks the ids from the last one down: a missing id is fine only if it was a room update
     * and a later update of the same room was delivered.
     */
    private static void check(int client, BitSet got, int[] keyOf, long published, List<String> violations) {
        boolean[] laterDelivered = new boolean[ROOMS];
        for (long s = published; s >= 1; s--) {
            int key = keyOf[(int) s];
            if (got.get((int) s)) {
                if (key >= 0) {
                    laterDelivered[key] = true;
                }
            } else if (key < 0 || !laterDelivered[key]) {
                if (violations.size() < 20) {
                    violations.add("client " + client + " missed event " + s
                            + (key < 0 ? " (a tap)" : " (the latest value of room r" + key + ")"));
                }
            }
        }
    }

    /**
     * Reads one stream: the ids it got (which must increase) until the end event. Its fields are
     * read by the benchmark after {@code done}, which orders them after the writes.
     */
    private static final class Reader implements Runnable {
        final BitSet got = new BitSet();
        final List<String> problems = new ArrayList<>();
        private final InputStream body;
        private final CountDownLatch done;

        Reader(InputStream body, CountDownLatch done) {
            this.body = body;
            this.done = done;
        }

        @Override
        public void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
                long previous = 0;
                long current = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                        current = Long.parseLong(line.substring(line.lastIndexOf('-') + 1));
                        if (current <= previous && problems.size() < 20) {
                            problems.add("id " + current + " after " + previous);
                        }
                        previous = current;
                    } else if (line.startsWith("event: ")) {
                        if (line.equals("event: " + END)) {
                            break;
                        }
                        got.set((int) current);
                    }
                }
            } catch (IOException e) {
                problems.add("stream failed: " + e);
            } finally {
                done.countDown();
            }
        }
    }
}
