package org.campusedge.sync.center;

import org.campusedge.sync.uplink.MemoryOutbox;
import org.campusedge.sync.uplink.Uplink;
import org.campusedge.sync.uplink.UplinkClient;
import org.campusedge.sync.uplink.UplinkOptions;
import org.campusedge.sync.wire.WireEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP round trip of {@link DataCenterIT} with {@code storage.type: postgresql}: boxes'
 * uplinks drain through a proxy that loses acknowledgements into a data center that opened its
 * PostgreSQL store from the configuration.
 */
class DataCenterOnPostgresIT {

    private static final String BOX = "school-042-box-1";
    private static final String TOKEN = "token-of-school-042-box-1";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private PostgresTestSchema schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = PostgresTestSchema.create();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        schema.close();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(resource);
        return resource;
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path registryDir;

    private DataCenter startCenter() throws Exception {
        DataCenterConfig base = DataCenterConfig.of(0, java.nio.file.Path.of("unused.db"),
                List.of(DataCenterConfig.DeviceEntry.withToken(BOX, "Riverside Primary", TOKEN)));
        DataCenterConfig config = new DataCenterConfig(base.http(), DataCenterConfig.Storage.postgresql(
                new DataCenterConfig.Postgres(schema.url(), PostgresTestSchema.USER, null, 8)), base.devices(),
                new DataCenterConfig.Registry(registryDir.resolve("devices.db")));
        DataCenter center = closing(new DataCenter(config));
        center.start();
        return center;
    }

    private Uplink startUplink(int port, MemoryOutbox outbox, int batchSize) {
        UplinkClient client = closing(new UplinkClient(URI.create("http://127.0.0.1:" + port), TOKEN, Duration.ofSeconds(5)));
        Uplink uplink = closing(new Uplink(outbox, client, UplinkOptions.defaults(BOX)
                .withBatchSize(batchSize)
                .withPollInterval(Duration.ofMillis(200))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(150)), new Random(7)));
        uplink.start();
        return uplink;
    }

    private static void assertHoldsExactly(EventStore store, String stream, long last) {
        assertThat(store.count(BOX, stream)).isEqualTo(last);
        List<StoredEvent> all = store.events(BOX, stream, 0, (int) last + 10);
        assertThat(all).extracting(StoredEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        for (StoredEvent e : all) {
            WireEvent sent = MemoryOutbox.event(stream, e.seq());
            assertThat(e.payloadJson()).isEqualTo(sent.payloadJson());
            assertThat(e.occurredAt()).isEqualTo(sent.occurredAt());
            assertThat(e.type()).isEqualTo(sent.type());
        }
        assertThat(store.marks(BOX).acked(stream)).isEqualTo(last);
    }

    @Test
    void uplink_drains_two_streams_exactly_once_through_lost_acks_and_declared_gaps() throws Exception {
        DataCenter center = startCenter();
        CuttableProxy proxy = closing(new CuttableProxy(center.port()));
        MemoryOutbox outbox = new MemoryOutbox("priority", "readings");
        outbox.append("priority", 3_000);
        outbox.append("readings", 1_000);
        outbox.lose("readings", 1, 300);

        Uplink uplink = startUplink(proxy.port(), outbox, 250);
        uplink.drainedTo("priority", 600).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        proxy.mode(CuttableProxy.Mode.LOSE_REPLIES);
        Eventually.await("lost acknowledgements", WAIT, () -> proxy.cut() >= 3);
        proxy.mode(CuttableProxy.Mode.FORWARD);
        uplink.drainedTo("priority", 3_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        uplink.drainedTo("readings", 1_000).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertHoldsExactly(center.store(), "priority", 3_000);
        assertThat(center.store().count(BOX, "readings")).isEqualTo(700);
        assertThat(center.store().gaps(BOX).lost("readings")).isEqualTo(300);
        assertThat(center.store().marks(BOX).acked("readings")).isEqualTo(1_000);
        assertThat(center.stats().eventsStored()).isEqualTo(3_700);
        assertThat(center.stats().duplicates()).as("batches stored but never acknowledged were resent").isPositive();
        assertThat(outbox.ackedSeq("priority")).isEqualTo(3_000);
    }

    @Test
    void close_ends_every_database_session() throws Exception {
        DataCenter center = startCenter();
        MemoryOutbox outbox = new MemoryOutbox("priority");
        outbox.append("priority", 500);
        startUplink(center.port(), outbox, 100).drainedTo("priority", 500).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sessions()).isPositive();
        center.close();

        // A backend leaves pg_stat_activity a moment after its client hung up.
        Eventually.await("no sessions of the closed data center", Duration.ofSeconds(10), () -> sessions() == 0);
    }

    private long sessions() {
        try (Connection admin = PostgresTestSchema.admin(); PreparedStatement q = admin.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            q.setString(1, schema.applicationName());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
