package org.campusedge.sync.uplink;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.GapException;
import org.campusedge.sync.center.SqliteEventStore;
import org.campusedge.sync.http.HttpReply;
import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.uplink.UplinkException.Reason;
import org.campusedge.sync.wire.IngestBatch;
import org.campusedge.sync.wire.JsonCodec;
import org.campusedge.sync.wire.StreamMarks;
import org.campusedge.sync.wire.WireError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class UplinkIT {

    private static final String BOX = "box-1";
    private static final String TOKEN = "uplink-it-token-0000001";

    @TempDir
    Path dir;

    private static UplinkOptions fast() {
        return UplinkOptions.defaults(BOX).withPollInterval(Duration.ofMillis(100)).withBackoff(Duration.ofMillis(5), Duration.ofMillis(50));
    }

    @Test
    void a_gap_answer_rewinds_to_the_centers_mark_and_resends_from_there() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("gap.db"))) {
            store.ingest(IngestBatch.of(BOX, "priority", LongStream.rangeClosed(1, 50)
                    .mapToObj(s -> MemoryOutbox.event("priority", s)).toList()), Instant.now());
            // A center whose marks overstate what it holds, as after a restore from an older backup.
            Router router = new Router()
                    .get("/v1/devices/{id}/streams", (req, p) -> HttpReply.json(200,
                            JsonCodec.encodeString(new StreamMarks(BOX, Map.of("priority", 100L)))))
                    .post("/v1/ingest", (req, p) -> {
                        IngestBatch batch = JsonCodec.decode(req.body(), IngestBatch.class);
                        try {
                            return HttpReply.json(200, JsonCodec.encodeString(store.ingest(batch, Instant.now())));
                        } catch (GapException e) {
                            return HttpReply.json(409, JsonCodec.encodeString(new WireError("gap", e.getMessage(), e.ackedSeq())));
                        }
                    });
            MemoryOutbox outbox = new MemoryOutbox("priority");
            outbox.append("priority", 300);
            try (HttpServer center = new HttpServer("gap-center", List.of("127.0.0.1"), 0, 1 << 20, router)) {
                center.start();
                try (UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5));
                     Uplink uplink = new Uplink(outbox, client, fast().withBatchSize(100), new Random(3))) {
                    uplink.start();
                    uplink.drainedTo("priority", 300).get(30, TimeUnit.SECONDS);

                    assertThat(uplink.stats().failures(Reason.GAP)).isEqualTo(1);
                    assertThat(store.count(BOX, "priority")).isEqualTo(300);
                    assertThat(store.events(BOX, "priority", 0, 1_000)).extracting(e -> e.seq())
                            .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
                    assertThat(outbox.ackedSeq("priority")).isEqualTo(300);
                }
            }
        }
    }

    @Test
    void a_413_halves_the_batch_size_until_batches_fit() throws Exception {
        DataCenterConfig config = new DataCenterConfig(new DataCenterConfig.Http(List.of("localhost"), 0, 16 * 1024),
                new DataCenterConfig.Storage(dir.resolve("small.db")),
                List.of(DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside", TOKEN)));
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 1_000);
        try (DataCenter center = new DataCenter(config)) {
            center.start();
            try (UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5));
                 Uplink uplink = new Uplink(outbox, client, fast().withBatchSize(1_000), new Random(3))) {
                uplink.start();
                uplink.drainedTo("priority", 1_000).get(30, TimeUnit.SECONDS);

                assertThat(uplink.stats().failures(Reason.REJECTED)).isPositive();
                // A 413 sent while the client is still writing the body can reach it as a broken connection
                // (a network failure to the client), so the center may count more refusals than the client saw.
                assertThat(center.httpStats().oversize()).isGreaterThanOrEqualTo(uplink.stats().failures(Reason.REJECTED));
                assertThat(center.store().count(BOX, "priority")).isEqualTo(1_000);
                assertThat(center.stats().duplicates()).isZero();
            }
        }
    }

    @Test
    void wake_up_sends_new_events_without_waiting_for_the_poll() throws Exception {
        DataCenterConfig config = DataCenterConfig.of(0, dir.resolve("wake.db"),
                List.of(DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside", TOKEN)));
        MemoryOutbox outbox = new MemoryOutbox("priority");
        try (DataCenter center = new DataCenter(config)) {
            center.start();
            try (UplinkClient client = new UplinkClient(URI.create("http://127.0.0.1:" + center.port()), TOKEN, Duration.ofSeconds(5));
                 Uplink uplink = new Uplink(outbox, client, fast().withPollInterval(Duration.ofMinutes(10)), new Random(3))) {
                uplink.start();
                uplink.drainedTo("priority", 0).get(30, TimeUnit.SECONDS);
                for (int round = 1; round <= 5; round++) {
                    long last = outbox.append("priority", 7);
                    uplink.wakeUp();
                    uplink.drainedTo("priority", last).get(30, TimeUnit.SECONDS);
                }
                assertThat(center.store().count(BOX, "priority")).isEqualTo(35);
                assertThat(uplink.stats().batchesSent()).isEqualTo(5);
            }
        }
    }
}
