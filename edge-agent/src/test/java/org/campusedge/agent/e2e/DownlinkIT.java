package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.DownlinkStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The downlink end to end with real parts: a data center on loopback managed with the
 * {@code campus-edge downlink} CLI while it runs, and a real agent deciding taps from an
 * in-process RDM6300 reader by what it fetched, across an offline restart and a long absence.
 */
class DownlinkIT {

    private static final String DEVICE = "dl-box-1";
    private static final String TOKEN = "dl-token-5a0c37e1b99f";
    private static final String ADMIN = "dl-admin-token-80f2c6a9d1e4";
    private static final String CARD = "0A00D6E3F2";
    private static final String MEDIA = "0A00D6E3F3";
    private static final String LEAVER = "0A00D6E3F4";

    @TempDir
    Path dir;

    private final BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
    private final java.util.Map<String, Long> lastShown = new java.util.HashMap<>();

    private Path centerConfig() throws Exception {
        Files.writeString(dir.resolve("admin.token"), ADMIN + "\n");
        Path cfg = dir.resolve("datacenter.yaml");
        Files.writeString(cfg, """
                http: {bind: [localhost], port: 0, rate-limit: {requests-per-second: 1000, burst: 1000}}
                storage: {path: dc/datacenter.db}
                downlink: {admin-token-file: admin.token, max-wait: 5s}
                devices:
                  - {id: %s, school: IT School, token: %s}
                """.formatted(DEVICE, TOKEN));
        return cfg;
    }

    private Path agentConfig(int centerPort) throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: %s, school: IT School, time-zone: Asia/Shanghai}
                rooms: [{id: studio-1, type: recording-studio, capacity: 8}]
                readers: [{id: studio-door, protocol: rdm6300, port: inproc, room: studio-1}]
                storage: {path: agent/journal.db, durability: normal}
                sync:
                  url: http://localhost:%d
                  token: %s
                  min-backoff: 50ms
                  max-backoff: 500ms
                  downlink: {wait: 5s, interval: 100ms}
                http: {bind: [localhost], port: 0}
                """.formatted(DEVICE, centerPort, TOKEN));
        return cfg;
    }

    private static DataCenter startCenter(Path cfg) throws Exception {
        DataCenter dc = new DataCenter(DataCenterConfig.load(cfg));
        dc.start();
        return dc;
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private int cli(String... args) {
        return CampusEdgeCli.run(args);
    }

    /**
     * Taps {@code card} at the studio door and answers the reason. The reader takes the same tag
     * again within its hold window (1 s) for the same presentation, so a card is shown again only
     * after that.
     */
    private ReasonCode tap(Rdm6300Simulator sim, String card) throws Exception {
        Long last = lastShown.get(card);
        if (last != null) {
            long left = last + 1_500 - System.currentTimeMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
        }
        sim.present(card, Duration.ofMillis(150));
        lastShown.put(card, System.currentTimeMillis());
        TapOutcome t = taps.poll(15, TimeUnit.SECONDS);
        assertThat(t).as("a decision for %s", card).isNotNull();
        return t.decision().reason();
    }

    private static void untilApplied(Agent agent, DataCenter dc) throws InterruptedException {
        long wanted = dc.downlink().version();
        Waits.until("the box applies version " + wanted, Duration.ofSeconds(15), () -> agent.downlink().version() >= wanted);
    }

    @Test
    void permissions_revocations_and_holidays_set_at_the_center_decide_at_the_door_offline_and_after_a_long_absence()
            throws Exception {
        Path dcConfig = centerConfig();
        String dcArg = dcConfig.toString();
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        Path cards = write("cards.csv", "card_id,person,rooms,valid_from,valid_until,groups\n"
                + CARD + ",S-0117,studio-1,,,\n" + MEDIA + ",S-0200,,,,media-club\n" + LEAVER + ",S-0300,studio-1,,,\n");
        Path schedule = write("schedule.yaml", """
                schedules:
                  studio-1:
                    - {groups: [media-club], days: [mon-sun], from: "00:00", to: "24:00"}
                """);
        Path holiday = write("holiday.yaml", """
                holidays:
                  - {id: closure, name: Unplanned closure, from: %s, to: %s}
                """.formatted(LocalDate.parse(today).minusDays(1), LocalDate.parse(today).plusDays(1)));

        InProcessSerialPipe pipe = new InProcessSerialPipe("studio-door");
        pipe.deviceEnd().open();
        AgentOptions options = AgentOptions.defaults().withLinks(r -> pipe.hostEnd()).withTapObserver(taps::add);
        long versionBeforeAbsence;
        try (Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
            try (DataCenter dc = startCenter(dcConfig)) {
                Path agentCfg = agentConfig(dc.port());
                try (Agent agent = Agent.start(AgentConfigLoader.load(agentCfg), options)) {
                    Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("studio-door").online());
                    assertThat(tap(sim, CARD)).isEqualTo(ReasonCode.UNKNOWN_CARD);

                    // Imported at the running center with the CLI, granted at the door once the delta applies.
                    assertThat(cli("downlink", "import", "--config", dcArg, "--school", "IT School", "--cards", cards.toString(),
                            "--policy", schedule.toString())).isZero();
                    untilApplied(agent, dc);
                    assertThat(tap(sim, CARD)).isEqualTo(ReasonCode.GRANTED);
                    assertThat(tap(sim, MEDIA)).isEqualTo(ReasonCode.GRANTED);

                    // Revoked at the center: denied with a reason code.
                    assertThat(cli("downlink", "remove", "--config", dcArg, "--school", "IT School", "--kind", "card",
                            "--key", CARD.toLowerCase())).isZero();
                    untilApplied(agent, dc);
                    assertThat(tap(sim, CARD)).isEqualTo(ReasonCode.UNKNOWN_CARD);

                    // A holiday added at the center: the group's window is closed for it.
                    assertThat(cli("downlink", "import", "--config", dcArg, "--school", "IT School", "--policy", holiday.toString()))
                            .isZero();
                    untilApplied(agent, dc);
                    assertThat(tap(sim, MEDIA)).isEqualTo(ReasonCode.HOLIDAY);

                    // The center shows the version the box runs, over HTTP and in the store.
                    long version = dc.downlink().version();
                    Waits.until("the center records the box's version", Duration.ofSeconds(15), () ->
                            dc.downlink().running().stream().anyMatch(r -> r.deviceId().equals(DEVICE) && r.version() == version));
                    HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + dc.port() + "/v1/downlink/status"))
                            .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(status.body()).contains("\"device\":\"" + DEVICE + "\"").contains("\"runningVersion\":" + version)
                            .contains("\"current\":true");
                    // And the box says so itself, in its health report and metrics.
                    HttpClient local = HttpClient.newHttpClient();
                    String health = local.send(HttpRequest.newBuilder(URI.create("http://localhost:" + agent.httpPort()
                            + "/api/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(health).contains("\"downlink\":{\"enabled\":true,\"version\":" + version + ",");
                    String metrics = local.send(HttpRequest.newBuilder(URI.create("http://localhost:" + agent.httpPort()
                            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(metrics).contains("campus_edge_downlink_version " + version + "\n");
                    versionBeforeAbsence = agent.downlink().version();
                }
            }

            // Both down: the center changes a lot through the CLI; the removal of LEAVER is then forgotten (compacted).
            assertThat(cli("downlink", "remove", "--config", dcArg, "--school", "IT School", "--kind", "card", "--key", LEAVER))
                    .isZero();
            for (int i = 0; i < 12; i++) {
                Path one = write("one.csv", "card_id,person,rooms,valid_from,valid_until\n" + String.format("0B%08X", i) + ",X-" + i + ",*,,\n");
                assertThat(cli("downlink", "import", "--config", dcArg, "--device", DEVICE, "--cards", one.toString())).isZero();
            }
            assertThat(cli("downlink", "import", "--config", dcArg, "--school", "IT School", "--cards", cards.toString())).isZero();
            assertThat(cli("downlink", "remove", "--config", dcArg, "--school", "IT School", "--kind", "holiday", "--key", "closure"))
                    .isZero();
            assertThat(cli("downlink", "remove", "--config", dcArg, "--school", "IT School", "--kind", "card", "--key", LEAVER))
                    .isZero();
            assertThat(cli("downlink", "compact", "--config", dcArg, "--older-than", "0s")).isZero();

            // The box restarts with the center unreachable: the last applied version decides.
            Path offlineCfg = agentConfig(1);
            try (Agent offline = Agent.start(AgentConfigLoader.load(offlineCfg), options)) {
                Waits.until("reader online", Duration.ofSeconds(10), () -> offline.readerCounters("studio-door").online());
                assertThat(offline.downlink().version()).isEqualTo(versionBeforeAbsence);
                assertThat(tap(sim, CARD)).isEqualTo(ReasonCode.UNKNOWN_CARD);
                assertThat(tap(sim, MEDIA)).isEqualTo(ReasonCode.HOLIDAY);
                assertThat(tap(sim, LEAVER)).isEqualTo(ReasonCode.GRANTED);
            }

            // The center is back: the box, many versions behind its compaction mark, catches up with a snapshot.
            try (DataCenter dc = startCenter(dcConfig)) {
                DownlinkStore store = dc.downlink();
                assertThat(store.compactedVersion()).isGreaterThan(versionBeforeAbsence);
                try (Agent agent = Agent.start(AgentConfigLoader.load(agentConfig(dc.port())), options)) {
                    Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("studio-door").online());
                    untilApplied(agent, dc);
                    assertThat(tap(sim, CARD)).isEqualTo(ReasonCode.GRANTED);
                    assertThat(tap(sim, MEDIA)).as("the holiday was removed").isEqualTo(ReasonCode.GRANTED);
                    assertThat(tap(sim, LEAVER)).as("a removal the center forgot still applies via the snapshot")
                            .isEqualTo(ReasonCode.UNKNOWN_CARD);
                    assertThat(tap(sim, "0B0000000B")).isEqualTo(ReasonCode.GRANTED);
                    assertThat(agent.downlink().items().size()).isEqualTo(2 + 12 + 1);
                }
            }
        }
    }
}
