package org.campusedge.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.rooms.RoomStateStore;
import org.campusedge.agent.rooms.RoomView;
import org.campusedge.agent.rooms.RoomsState;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real agent with the real Mosquitto and an in-process RDM6300: taps fill the room, sensor
 * readings show in {@code /api/rooms}, an alarm is raised and cleared, and after a restart the
 * rooms are exactly what they were.
 */
class AgentRoomsIT {

    private static final String CARD = "0A00D6E3F2";

    @TempDir
    Path dir;

    private Path config(String run) throws Exception {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-%1$s, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: maker-1, name: Maker Space, type: maker-space, capacity: 20}
                  - {id: studio-1, type: recording-studio, capacity: 4}
                readers:
                  - {id: maker-door, protocol: rdm6300, port: inproc, room: maker-1}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0}
                mqtt: {url: "tcp://127.0.0.1:1883", status-topic: "campus-edge-it/%1$s/status"}
                sensors:
                  - {preset: json, topic: "campus-edge-it/%1$s/maker/+/env", room: maker-1}
                  - {preset: json, topic: "campus-edge-it/%1$s/studio/+/env", room: studio-1}
                occupancy: {snapshot-every: 5s}
                alarms:
                  - {id: maker-hot, room-types: [maker-space], metric: temperature, above: 35, hysteresis: 2, for: 1s,
                     severity: critical}
                """.formatted(run));
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until\n" + CARD + ",S-0117,maker-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv",
                dir.resolve("cards.csv").toString())).isZero();
        return cfg;
    }

    @Test
    void taps_and_sensors_fill_the_rooms_alarms_raise_and_clear_and_a_restart_rebuilds_them_exactly() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path cfg = config(run);
        AgentConfig config = AgentConfigLoader.load(cfg);
        InProcessSerialPipe pipe = new InProcessSerialPipe("maker-door");
        pipe.deviceEnd().open();
        MqttClient pub = new MqttClient("tcp://127.0.0.1:1883", "rooms-it-" + run, new MemoryPersistence());
        pub.connect();
        List<String> status = new java.util.concurrent.CopyOnWriteArrayList<>();
        pub.subscribe("campus-edge-it/" + run + "/status", 1, (t, m) -> status.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        String before;
        List<RoomView> atClose;
        Agent agent = Agent.start(config, AgentOptions.defaults().withLinks(r -> pipe.hostEnd()));
        try {
            Waits.until("agent subscribed", Duration.ofSeconds(10), () -> status.contains("online"));
            List<String> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://[::1]:" + agent.httpPort()
                    + "/api/stream?topics=room,alarm,tap")).build(), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> r.body().forEach(streamed::add));
            Waits.until("stream open", Duration.ofSeconds(10), () -> !streamed.isEmpty());
            Waits.until("reader online", Duration.ofSeconds(10), () -> agent.readerCounters("maker-door").online());
            try (Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
                sim.present(CARD, Duration.ofMillis(200));
            }
            Waits.until("card inside", Duration.ofSeconds(10), () -> room(agent, "maker-1").path("occupancy").path("count").asInt() == 1);
            JsonNode maker = room(agent, "maker-1");
            assertThat(maker.path("occupancy").path("occupants").get(0).path("person").asText()).isEqualTo("S-0117");
            assertThat(maker.path("readers").get(0).path("lastTap").path("reason").asText()).isEqualTo("granted");

            publish(pub, run, "maker/bench-1/env", "{\"temperature\":36.5,\"humidity\":41}");
            publish(pub, run, "studio/desk/env", "{\"co2\":640}");
            Waits.until("maker-hot raised", Duration.ofSeconds(15), () -> room(agent, "maker-1").path("alarms").size() == 1);
            JsonNode alarm = room(agent, "maker-1").path("alarms").get(0);
            assertThat(alarm.path("id").asText()).isEqualTo("maker-hot:maker-1:bench-1");
            assertThat(alarm.path("severity").asText()).isEqualTo("critical");
            assertThat(alarm.path("value").asDouble()).isEqualTo(36.5);

            publish(pub, run, "maker/bench-1/env", "{\"temperature\":34}");
            Thread.sleep(1500); // inside the hysteresis band: the alarm stays
            assertThat(room(agent, "maker-1").path("alarms").size()).isEqualTo(1);
            publish(pub, run, "maker/bench-1/env", "{\"temperature\":32.5}");
            Waits.until("maker-hot cleared", Duration.ofSeconds(15), () -> room(agent, "maker-1").path("alarms").isEmpty());
            assertThat(agent.journal().query(new EventQuery(java.util.Optional.empty(), java.util.Optional.of("alarm.raised"),
                    java.util.Optional.of("maker-1"), java.util.Optional.empty(), 10))).hasSize(1);
            Waits.until("studio co2 shown", Duration.ofSeconds(10),
                    () -> room(agent, "studio-1").path("metrics").size() == 1);

            // The same, live over server-sent events (IPv6): the tap, the alarm and the room updates.
            Waits.until("tap, alarm and room on /api/stream, got " + streamed, Duration.ofSeconds(10), () -> streamed.contains("event: tap")
                    && streamed.contains("event: alarm") && streamed.stream().anyMatch(l -> l.startsWith("data:")
                    && l.contains("\"id\":\"maker-1\"") && l.contains("\"temperature\"")));
            assertThat(streamed).noneMatch(l -> l.equals("event: reader"));

            JsonNode all = get(agent, "/api/rooms");
            assertThat(all.path("rooms")).hasSize(2);
            assertThat(all.path("mode").asText()).isEqualTo("normal");
            JsonNode temperature = metric(room(agent, "maker-1"), "temperature");
            assertThat(temperature.path("value").asDouble()).isEqualTo(32.5);
            assertThat(temperature.path("minutes").get(0).path("max").asDouble()).isEqualTo(36.5);
            HttpResponse<String> missing = http(agent, "/api/rooms/gym");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("no_such_room").contains("maker-1");
            before = EventJson.write(agent.rooms().state().views());
            agent.close();
            atClose = agent.rooms().state().views();
        } finally {
            agent.close();
            pub.disconnect();
            pub.close();
        }

        // Exactness: the journal alone (snapshot + events after it) gives the rooms as they were at close.
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            RoomsState rebuilt = new RoomsState(config.rooms(), config.readers(), config.occupancy().standbyWatts());
            RoomStateStore.rebuild(journal, rebuilt);
            assertThat(EventJson.write(rebuilt.views())).isEqualTo(EventJson.write(atClose));
        }
        // And the restarted agent serves them: everything but the reader, which comes online again.
        try (Agent again = Agent.start(config, AgentOptions.defaults().withLinks(r -> pipe.hostEnd()))) {
            JsonNode restarted = EventJson.MAPPER.readTree(EventJson.write(again.rooms().state().views()));
            JsonNode previous = EventJson.MAPPER.readTree(before);
            for (int i = 0; i < 2; i++) {
                for (String part : List.of("occupancy", "metrics", "alarms", "sensors", "equipment", "doors")) {
                    assertThat(restarted.get(i).path(part)).as("%s of %s", part, previous.get(i).path("id").asText())
                            .isEqualTo(previous.get(i).path(part));
                }
            }
            assertThat(get(again, "/api/rooms/maker-1").path("occupancy").path("count").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode metric(JsonNode room, String metric) {
        for (JsonNode m : room.path("metrics")) {
            if (m.path("metric").asText().equals(metric)) {
                return m;
            }
        }
        throw new AssertionError("no " + metric + " in " + room);
    }

    private static void publish(MqttClient pub, String run, String topic, String json) throws Exception {
        pub.publish("campus-edge-it/" + run + "/" + topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static JsonNode room(Agent agent, String id) {
        return get(agent, "/api/rooms/" + id);
    }

    private static JsonNode get(Agent agent, String path) {
        try {
            HttpResponse<String> r = http(agent, path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            return EventJson.MAPPER.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> http(Agent agent, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
