package org.campusedge.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code campus-edge status}: ask a running agent how it is. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print a running agent's health: readers, journal, sync.",
            "Exit code 0 when ok, 1 when degraded, 3 when the agent cannot be reached."})
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8080", paramLabel = "URL",
            description = "The agent's HTTP address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding a bearer token of the agent (http.tokens or http.operator-token-file); "
                    + "needed unless the agent has no accounts and runs on this machine.")
    java.nio.file.Path tokenFile;

    @Override
    public Integer call() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> response;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(url.resolve("/api/health")).timeout(Duration.ofSeconds(5));
            if (tokenFile != null) {
                req.header("Authorization", "Bearer " + java.nio.file.Files.readString(tokenFile).trim());
            }
            response = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UserFacingException("cannot reach the agent at " + url + ": " + e, FailureHandler.RUNTIME_FAILURE);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new UserFacingException("the agent at " + url + " refused (" + response.statusCode() + "): "
                    + (tokenFile == null ? "pass --token-file with one of its bearer tokens" : "the token in " + tokenFile
                    + " is not one of its tokens"), FailureHandler.BAD_CONFIG);
        }
        if (json) {
            System.out.println(response.body());
        }
        JsonNode h = new ObjectMapper().readTree(response.body());
        if (!json) {
            System.out.printf("%s (%s) version %s: %s, up %ds%n", h.path("device").asText(), h.path("school").asText(),
                    h.path("version").asText(), h.path("status").asText(), h.path("uptimeSeconds").asLong());
            for (JsonNode r : h.path("readers")) {
                System.out.printf("  reader %-14s %-7s %s (%d reads, %d checksum errors, %d reconnects)%n",
                        r.path("id").asText(), r.path("online").asBoolean() ? "online" : "OFFLINE", r.path("detail").asText(),
                        r.path("cardReads").asLong(), r.path("checksumErrors").asLong(), r.path("reconnects").asLong());
            }
            JsonNode j = h.path("journal");
            System.out.printf("  journal %s: %d events committed, pending upload %s%n", j.path("path").asText(),
                    j.path("events").asLong(), j.path("pending"));
            JsonNode st = h.path("storage");
            JsonNode d = h.path("disk");
            System.out.printf("  disk    journal %d MiB of a %d MiB budget; %d MiB free of %d MiB at %s%n",
                    st.path("fileBytes").asLong() >> 20, st.path("budgetBytes").asLong() >> 20,
                    d.path("freeBytes").asLong() >> 20, d.path("totalBytes").asLong() >> 20, d.path("path").asText("?"));
            JsonNode s = h.path("sync");
            System.out.printf("  sync %s: acked %s, last error %s%n",
                    s.path("enabled").asBoolean() ? s.path("target").asText() : "disabled", s.path("acked"),
                    s.path("lastError").isNull() ? "none" : s.path("lastError").asText());
        }
        return "ok".equals(h.path("status").asText()) ? 0 : FailureHandler.CHECK_FAILED;
    }
}
