package org.campusedge.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent with a journal backlog against a real data center: the center shows how many events
 * the box still has to send while it drains (the center's rate limit keeps the drain slow enough to
 * watch), and 0 once it has drained, as the box's own {@code /api/health} says.
 */
class BacklogAtDataCenterIT {

    private static final int BACKLOG = 1_000;
    private static final String READER = "it-reader-token-5d2a9c";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void the_center_shows_the_boxes_backlog_while_it_drains_and_zero_after() throws Exception {
        Path dcConfig = dir.resolve("datacenter.yaml");
        Files.writeString(dcConfig, """
                http: {bind: [localhost], port: 0, rate-limit: {requests-per-second: 2, burst: 2}}
                storage: {path: dc/datacenter.db}
                devices:
                  - {id: %s, school: IT School, token: %s}
                queries:
                  readers:
                    - {name: city-bureau, token: %s}
                """.formatted(TestSchool.DEVICE, TestSchool.TOKEN, READER));
        try (DataCenter dc = new DataCenter(DataCenterConfig.load(dcConfig))) {
            dc.start();
            Path cfg = TestSchool.agentConfig(dir, dir.resolve("no-reader-attached").toString(), dc.port(), "  batch-size: 100");
            AgentConfig config = AgentConfigLoader.load(cfg);
            Instant oldest = fillJournal(config);
            assertThat(device(dc).get("behindEvents").isNull()).as("nothing reported yet: unknown").isTrue();

            try (Agent agent = Agent.start(config, AgentOptions.defaults())) {
                long most = 0;
                JsonNode seen = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && (seen == null || seen.get("behindEvents").isNull()
                        || seen.get("behindEvents").asLong() > 0 || most == 0)) {
                    seen = device(dc);
                    if (!seen.get("behindEvents").isNull() && seen.get("behindEvents").asLong() > most) {
                        most = seen.get("behindEvents").asLong();
                        assertThat(seen.get("behindSeconds").asLong())
                                .isGreaterThanOrEqualTo(Duration.between(oldest, Instant.now()).toSeconds() - 5);
                    }
                    Thread.sleep(50);
                }
                System.out.printf("BacklogAtDataCenterIT: the center saw the box up to %d events behind, then %s%n", most,
                        seen == null ? "nothing" : seen.get("behindEvents"));
                assertThat(most).as("a backlog seen at the center while draining").isBetween(1L, (long) BACKLOG + 10);
                assertThat(seen.get("behindEvents").asLong()).isZero();
                assertThat(seen.get("behindSeconds").asLong()).isZero();

                JsonNode health = json.readTree(get(URI.create("http://127.0.0.1:" + agent.httpPort() + "/api/health"), null));
                health.path("journal").path("pending").forEach(n -> assertThat(n.asLong()).isZero());
                assertThat(dc.store().count(TestSchool.DEVICE, "priority")).isEqualTo(agent.journal().lastSeq("priority"));
            }
        }
    }

    /** Journals the backlog before the agent starts; returns when its oldest event happened. */
    private static Instant fillJournal(AgentConfig config) {
        Instant first = Instant.now().minusSeconds(600);
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
            for (int i = 0; i < BACKLOG; i++) {
                fs.add(journal.append(new JournalEntry(EventType.ACCESS_DECISION, first.plusMillis(i), Optional.of("studio-1"),
                        "{\"reader\":\"studio-door\",\"card\":\"" + String.format(Locale.ROOT, "%010X", i) + "\",\"granted\":true}")));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
        }
        return first;
    }

    private JsonNode device(DataCenter dc) throws Exception {
        JsonNode all = json.readTree(get(URI.create("http://127.0.0.1:" + dc.port() + "/v1/devices"), READER));
        for (JsonNode d : all.get("devices")) {
            if (d.get("id").asText().equals(TestSchool.DEVICE)) {
                return d;
            }
        }
        throw new AssertionError("no device " + TestSchool.DEVICE + " in " + all);
    }

    private String get(URI uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
