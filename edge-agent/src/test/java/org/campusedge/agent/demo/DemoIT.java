package org.campusedge.agent.demo;

import org.campusedge.sync.center.DataCenter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo as a new user runs it: everything starts, taps are decided and reach the data center, it stops cleanly. */
class DemoIT {

    private static boolean roomsHaveReadings(Demo demo) {
        return demo.agent().rooms().state().views().stream().allMatch(r -> !r.metrics().isEmpty());
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "in-process links: {0}")
    @ValueSource(booleans = {false, true})
    void the_demo_runs_a_school_end_to_end_and_leaves_its_data(boolean inProcess) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Path data = dir.resolve("demo");
        try (Demo demo = Demo.start(data, 0, 0, inProcess, out)) {
            demo.tap("studio-door", "0A00D6E3F2", Duration.ofMillis(200));
            demo.tap("robotics-door", "4242", Duration.ofMillis(200));
            demo.tap("maker-door", "047BCB51962280", Duration.ofMillis(400));
            DataCenter dc = demo.dataCenter();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && (demo.agent().doorStats().granted() < 2 || demo.agent().doorStats().denied() < 1)) {
                Thread.sleep(50);
            }
            assertThat(demo.agent().doorStats().granted()).isGreaterThanOrEqualTo(1);
            assertThat(demo.agent().doorStats().denied()).isGreaterThanOrEqualTo(1);
            // The demo's students go on tapping: take the journal's mark once and wait for the center to hold it.
            long journaled = demo.agent().journal().lastSeq("priority");
            while (System.nanoTime() < deadline && dc.store().count("demo-school-001", "priority") < journaled) {
                Thread.sleep(50);
            }
            assertThat(dc.store().count("demo-school-001", "priority")).isGreaterThanOrEqualTo(journaled);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + demo.agent().httpPort() + "/api/health"))
                            .header("Authorization", "Bearer " + java.nio.file.Files.readString(data.resolve("operator.token")).trim())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"", "studio-door", "robotics-door", "maker-door");
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + demo.agent().httpPort() + "/api/login"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"demo\",\"password\":\""
                                    + demo.demoPassword() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as("the printed demo log-in works").isEqualTo(200);
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("demo / " + demo.demoPassword());
            // The simulated sensors publish to the demo's own embedded broker; every room shows readings.
            while (System.nanoTime() < deadline && !roomsHaveReadings(demo)) {
                Thread.sleep(100);
            }
            assertThat(roomsHaveReadings(demo)).as("sensor readings in every room").isTrue();
            assertThat(demo.agent().rooms().state().view("maker-1").orElseThrow().equipment())
                    .extracting(org.campusedge.agent.rooms.RoomView.Equipment::sensor).contains("laser-cutter");
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("data in " + data, "http://localhost:", "/api/health", "/api/events",
                "studio-door", "card 0A00D6E3F2 (S2024-0117) OPEN", "card 4242", "unknown_card",
                "card 047BCB51962280 (S2024-0301) OPEN");
        assertThat(printed).contains(inProcess ? "in-process links" : "pseudo-terminals (socat)");
        assertThat(printed).contains("MQTT broker   embedded", "/api/rooms");
        assertThat(printed).as("the dashboard log-in").contains("log in as   demo / ");
        assertThat(org.campusedge.agent.auth.UsersFile.read(data.resolve("users")))
                .singleElement().satisfies(a -> assertThat(a.role()).isEqualTo(org.campusedge.agent.auth.Role.MANAGER));
        assertThat(data.resolve("agent/journal.db")).exists();
        assertThat(data.resolve("datacenter/datacenter.db")).exists();
        assertThat(data.resolve("agent.yaml")).exists();
        assertThat(data.resolve("keys/robotics-door.key")).exists();
    }
}
