package org.campusedge.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code campus-edge access}: operator actions on a running agent. */
@Command(name = "access", mixinStandardHelpOptions = true, description = "Operator actions on a running agent.",
        subcommands = AccessCommand.Mode.class)
final class AccessCommand {

    @Command(name = "mode", mixinStandardHelpOptions = true,
            description = {"Show or change the school-wide access mode.",
                "normal: the timetable decides; emergency-unlock: every door opens; lockdown: no entry except exempt groups.",
                "Changing needs a manager's bearer token (http.operator-token-file or http.tokens of the agent) and says who and why.",
                "Showing the mode needs a token too unless the agent has no accounts and runs on this machine."})
    static final class Mode implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "MODE", description = "normal, emergency-unlock or lockdown; none shows the mode.")
        String mode;

        @Option(names = "--url", defaultValue = "http://localhost:8080", description = "The agent (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the operator token (or another manager token).")
        Path tokenFile;

        @Option(names = "--by", description = "Who asks (your name or account).")
        String by;

        @Option(names = "--reason", description = "Why, in a few words (journaled and sent to the city).")
        String reason;

        @Override
        public Integer call() throws Exception {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            ObjectMapper json = new ObjectMapper();
            HttpRequest.Builder req = HttpRequest.newBuilder(url.resolve("/api/access/mode")).timeout(Duration.ofSeconds(15));
            if (tokenFile != null) {
                req.header("Authorization", "Bearer " + Files.readString(tokenFile).trim());
            }
            if (mode != null) {
                if (tokenFile == null || by == null || reason == null) {
                    throw new UserFacingException("changing the mode needs --token-file, --by and --reason",
                            FailureHandler.BAD_CONFIG);
                }
                ObjectNode body = json.createObjectNode().put("mode", mode).put("by", by).put("reason", reason);
                req.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            HttpResponse<String> r;
            try {
                r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UserFacingException("cannot reach the agent at " + url + ": " + e, FailureHandler.RUNTIME_FAILURE);
            }
            JsonNode reply = json.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new UserFacingException("the agent refused: " + reply.path("message").asText(r.body()),
                        FailureHandler.CHECK_FAILED);
            }
            if (mode == null) {
                System.out.println("access mode: " + reply.path("mode").asText());
            } else {
                System.out.printf("access mode: %s (was %s), journaled as priority event %d%n", reply.path("mode").asText(),
                        reply.path("previous").asText(), reply.path("seq").asLong());
            }
            return 0;
        }
    }
}
