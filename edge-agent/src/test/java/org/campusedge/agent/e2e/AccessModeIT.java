package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController.TapOutcome;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lockdown and emergency unlock through the operator API of a running agent: refused without the
 * operator token, journaled with who and why, in force at the door at once, kept over a restart.
 * With a token configured the agent has credentials, so reads carry the token too.
 */
class AccessModeIT {

    private static final String STUDENT = "0A00D6E3F2";
    private static final String GUARD = "1F00A4B2C3";
    private static final String TOKEN = "op-token-7d1c9a55e0b24f3e";

    @TempDir
    Path dir;

    @Test
    void lockdown_and_emergency_unlock_from_the_operator_api() throws Exception {
        Files.writeString(dir.resolve("operator.token"), TOKEN + "\n");
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-1, school: IT School, time-zone: Asia/Shanghai}
                rooms: [{id: maker-1, type: maker-space, capacity: 20}]
                readers: [{id: maker-door, protocol: rdm6300, port: inproc, room: maker-1}]
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0, operator-token-file: operator.token}
                access:
                  lockdown-exempt-groups: [security]
                """);
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until,groups\n"
                + STUDENT + ",S-0117,maker-1,,,grade-8\n" + GUARD + ",G-0001,*,,,security\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", dir.resolve("cards.csv").toString()))
                .isZero();
        InProcessSerialPipe pipe = new InProcessSerialPipe("maker-door");
        pipe.deviceEnd().open();
        BlockingQueue<TapOutcome> taps = new LinkedBlockingQueue<>();
        AgentOptions options = AgentOptions.defaults().withLinks(r -> pipe.hostEnd()).withTapObserver(taps::add);
        try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), options);
             Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
            Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("maker-door").online());
            String url = "http://localhost:" + agent.httpPort();

            assertThat(post(url, null, "lockdown").statusCode()).isEqualTo(401);
            assertThat(post(url, "not-the-token-at-all", "lockdown").statusCode()).isEqualTo(401);
            HttpResponse<String> bad = post(url, TOKEN, "panic");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("emergency_unlock").contains("lockdown");

            assertThat(CampusEdgeCli.run("access", "mode", "--url", url, "--token-file",
                    dir.resolve("operator.token").toString())).as("showing the mode with the token").isZero();
            assertThat(CampusEdgeCli.run("access", "mode", "--url", url)).as("showing it without").isEqualTo(1);
            assertThat(CampusEdgeCli.run("access", "mode", "lockdown", "--url", url, "--token-file",
                    dir.resolve("operator.token").toString(), "--by", "principal", "--reason", "drill")).isZero();
            sim.present(STUDENT, Duration.ofMillis(200));
            assertThat(taps.poll(15, TimeUnit.SECONDS).decision().reason()).isEqualTo(ReasonCode.LOCKDOWN);
            sim.present(GUARD, Duration.ofMillis(200));
            assertThat(taps.poll(15, TimeUnit.SECONDS).decision().reason()).as("security is exempt").isEqualTo(ReasonCode.GRANTED);
            Waits.until("room state shows the mode", Duration.ofSeconds(15),
                    () -> get(url + "/api/rooms").contains("\"mode\":\"lockdown\""));
            assertThat(get(url + "/api/events?type=access.mode")).contains("\"by\":\"principal\"").contains("\"reason\":\"drill\"");

            assertThat(post(url, TOKEN, "emergency-unlock").statusCode()).isEqualTo(200);
            sim.present("5C0041F7E2", Duration.ofMillis(200));
            assertThat(taps.poll(15, TimeUnit.SECONDS).decision().reason()).as("even an unknown card")
                    .isEqualTo(ReasonCode.EMERGENCY_UNLOCK);
        }
        try (Agent again = Agent.start(AgentConfigLoader.load(cfg), options)) {
            assertThat(again.decider().mode().wireName()).as("the mode survives a restart").isEqualTo("emergency_unlock");
            assertThat(get("http://localhost:" + again.httpPort() + "/api/access/mode")).contains("emergency_unlock");
        }
    }

    private static HttpResponse<String> post(String url, String token, String mode) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/access/mode"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"" + mode + "\",\"by\":\"it\",\"reason\":\"test\"}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
