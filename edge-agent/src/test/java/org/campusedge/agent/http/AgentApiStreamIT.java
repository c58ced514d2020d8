package org.campusedge.agent.http;

import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.SseEvent;
import org.campusedge.sync.http.SseHub;
import org.campusedge.sync.http.SseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AgentApiStreamIT {

    @Test
    @Timeout(30)
    void streams_published_events_of_the_requested_topics() throws Exception {
        SseHub hub = new SseHub("agent-stream", SseSettings.defaults());
        // Only /api/stream is exercised: no journal, and health or metrics would fail the test.
        AgentApi api = new AgentApi(null, () -> {
            throw new AssertionError("health not expected");
        }, () -> {
            throw new AssertionError("metrics not expected");
        }, hub);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HttpServer server = new HttpServer("agent-http-test", List.of("127.0.0.1"), 0, 4096, api.router())) {
            server.start();
            String base = "http://127.0.0.1:" + server.port();

            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(base + "/api/stream?topics=a,,b")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/stream?topics=alarm")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            while (hub.openStreams() == 0) {
                Thread.sleep(5);
            }
            hub.publish("room", "room/studio-1", "{\"room\":\"studio-1\"}");
            SseEvent alarm = hub.publish("alarm", "{\"room\":\"studio-1\",\"kind\":\"co2_high\"}");

            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            Iterator<String> lines = r.body().iterator();
            String line = lines.next();
            while (!line.startsWith("id: ")) {
                line = lines.next();
            }
            assertThat(List.of(line, lines.next(), lines.next(), lines.next())).containsExactly(
                    "id: " + alarm.id(), "event: alarm", "data: {\"room\":\"studio-1\",\"kind\":\"co2_high\"}", "");
            r.body().close();
        } finally {
            hub.close();
        }
    }
}
