package org.campusedge.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPair;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialSettings;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path with real parts: a simulated RDM6300 writes frames into a socat pseudo-terminal,
 * the agent reads the other end through jssc, decides, pulses the relay on Pi4J's mock GPIO,
 * journals the decision in SQLite, and the uplink delivers it to a data center over HTTP.
 */
class TapToDataCenterIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void a_tap_travels_from_a_pty_reader_through_the_relay_and_journal_to_the_data_center_exactly_once() throws Exception {
        Path readerEnd = dir.resolve("ttyReader");
        Path deviceEnd = dir.resolve("ttySim");
        try (DataCenter dc = TestSchool.startDataCenter(dir);
             PtyPair pty = PtyPair.open(readerEnd, deviceEnd)) {
            Path cfg = TestSchool.agentConfig(dir, pty.first().toString(), dc.port(), "");
            assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv",
                    dir.resolve("cards.csv").toString())).isZero();

            BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
            try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withTapObserver(taps::add));
                 SerialLink device = new JsscSerialLink(SerialSettings.of8N1(pty.second().toString(), 9600))) {
                device.open();
                DigitalOutput relay = output(agent, 17);
                List<DigitalState> relayStates = new CopyOnWriteArrayList<>();
                relay.addListener(e -> relayStates.add(e.state()));
                Waits.until("reader online", Duration.ofSeconds(10),
                        () -> agent.doorStats().status("studio-door").map(s -> s.state().wireName().equals("online")).orElse(false));

                try (Rdm6300Simulator sim = new Rdm6300Simulator(device)) {
                    sim.present(TestSchool.ALLOWED_CARD, Duration.ofMillis(400));
                    TapOutcome granted = taps.poll(15, TimeUnit.SECONDS);
                    assertThat(granted).isNotNull();
                    assertThat(granted.decision().reason()).isEqualTo(ReasonCode.GRANTED);
                    assertThat(granted.decision().person()).hasValue("S-0117");
                    Waits.until("relay pulse ends", Duration.ofSeconds(15), () -> relayStates.size() >= 2);
                    assertThat(relayStates).startsWith(DigitalState.HIGH, DigitalState.LOW);

                    sim.sendGarbage(new byte[] {0x02, 'Z', 'Z', 0x7f, 0x03, 0x02, '1'});
                    sim.present(TestSchool.UNKNOWN_CARD, Duration.ofMillis(300));
                    TapOutcome unknown = taps.poll(15, TimeUnit.SECONDS);
                    assertThat(unknown).isNotNull();
                    assertThat(unknown.decision().reason()).isEqualTo(ReasonCode.UNKNOWN_CARD);
                    sim.present(TestSchool.OTHER_ROOM_CARD, Duration.ofMillis(300));
                    TapOutcome otherRoom = taps.poll(15, TimeUnit.SECONDS);
                    assertThat(otherRoom).isNotNull();
                    assertThat(otherRoom.decision().reason()).isEqualTo(ReasonCode.ROOM_NOT_PERMITTED);
                }
                assertThat(taps.poll(600, TimeUnit.MILLISECONDS)).as("a held tag is one tap").isNull();
                assertThat(relayStates).as("denied cards never release the strike").hasSize(2);
                assertThat(agent.readerCounters("studio-door").droppedBytes()).isPositive();

                List<JournalEvent> decisions = Waits.committed(agent.journal(), "access.decision", 3);
                assertThat(agent.journal().query(new EventQuery(java.util.Optional.empty(),
                        java.util.Optional.of("access.decision"), java.util.Optional.empty(), java.util.Optional.empty(), 10)))
                        .as("three taps, three decisions").hasSize(3);

                long last = agent.journal().lastSeq("priority");
                Waits.until("data center has every event", Duration.ofSeconds(15),
                        () -> dc.store().count(TestSchool.DEVICE, "priority") >= last);
                assertThat(dc.store().count(TestSchool.DEVICE, "priority")).isEqualTo(last);
                Map<Long, String> atCenter = dc.store().events(TestSchool.DEVICE, "priority", 0, 1000).stream()
                        .collect(Collectors.toMap(StoredEvent::seq, StoredEvent::payloadJson));
                for (JournalEvent e : agent.journal().query(EventQuery.latest(1000))) {
                    assertThat(json.readTree(atCenter.get(e.seq()))).as("event %d", e.seq()).isEqualTo(json.readTree(e.payloadJson()));
                }
                JsonNode grantedAtCenter = json.readTree(atCenter.get(decisions.get(2).seq()));
                assertThat(grantedAtCenter.path("card").asText()).isEqualTo(TestSchool.ALLOWED_CARD);
                assertThat(grantedAtCenter.path("granted").asBoolean()).isTrue();
                Waits.until("ack recorded", Duration.ofSeconds(15), () -> agent.journal().ackedSeq("priority") >= last);

                for (String host : List.of("127.0.0.1", "[::1]")) {
                    URI base = URI.create("http://" + host + ":" + agent.httpPort());
                    JsonNode health = json.readTree(get(base.resolve("/api/health")));
                    assertThat(health.path("readers").get(0).path("online").asBoolean()).isTrue();
                    assertThat(health.path("doors").path("granted").asLong()).isEqualTo(1);
                    assertThat(health.path("storage").path("budgetBytes").asLong()).isEqualTo(2L << 30);
                    assertThat(health.path("storage").path("fileBytes").asLong()).isPositive();
                    JsonNode events = json.readTree(get(base.resolve("/api/events?type=access.decision&limit=5")));
                    assertThat(events.path("events")).hasSize(3);
                    assertThat(events.path("events").get(0).path("payload").path("reason").asText()).isEqualTo("room_not_permitted");
                }
                String metrics = get(URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"));
                assertThat(metrics).contains("campus_edge_taps_total{outcome=\"granted\"} 1",
                        "campus_edge_taps_total{outcome=\"denied\"} 2", "campus_edge_reader_online{reader=\"studio-door\"} 1",
                        "campus_edge_journal_budget_bytes 2147483648", "campus_edge_journal_deleted_total{reason=\"budget_unacked\"} 0");
            }
        }
    }

    @Test
    void the_api_rejects_bad_queries_and_unknown_paths() throws Exception {
        try (DataCenter dc = TestSchool.startDataCenter(dir)) {
            Path cfg = TestSchool.agentConfig(dir, dir.resolve("no-such-tty").toString(), dc.port(), "");
            try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults())) {
                URI base = URI.create("http://127.0.0.1:" + agent.httpPort());
                assertThat(status(base.resolve("/api/events?limit=abc"))).isEqualTo(400);
                assertThat(status(base.resolve("/api/events?limit=100000"))).isEqualTo(400);
                assertThat(status(base.resolve("/api/events?since=yesterday"))).isEqualTo(400);
                assertThat(status(base.resolve("/api/events?room=%27%3B%20DROP"))).isEqualTo(400);
                assertThat(status(base.resolve("/api/nothing-here"))).isEqualTo(404);
                JsonNode health = json.readTree(get(base.resolve("/api/health")));
                assertThat(health.path("status").asText()).as("reader missing -> degraded").isEqualTo("degraded");
                assertThat(health.path("readers").get(0).path("online").asBoolean()).isFalse();
            }
        }
    }

    private static DigitalOutput output(Agent agent, int bcm) {
        Function<DigitalOutput, Integer> address = o -> o.config().address();
        List<DigitalOutput> outs = new ArrayList<>(agent.gpio().orElseThrow().registry().allByType(DigitalOutput.class).values());
        return outs.stream().filter(o -> address.apply(o) == bcm).findFirst().orElseThrow();
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
        return r.body();
    }

    private int status(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
