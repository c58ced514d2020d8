package org.campusedge.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.campusedge.sync.uplink.TrustedCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code campus-edge report usage}: fetch the data center's usage report of special rooms
 * ({@code GET /v1/reports/usage}) with a reader token and print it as a table, CSV or JSON.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Fetch city-wide reports from the data center.",
            "Exit code 0 on success, 1 if the data center refused the request, 2 on bad usage, 3 if it cannot be reached."},
        subcommands = ReportCommand.Usage.class)
final class ReportCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code report usage}. */
    @Command(name = "usage", mixinStandardHelpOptions = true,
            description = {"Sessions, unique students and occupied hours of special rooms per period, school and room type.",
                "Example: campus-edge report usage --url https://dc.example:8090 --token-file bureau.token --period month "
                        + "--from 2026-09-01 --to 2026-12-31 --format csv > usage.csv"})
    static final class Usage implements Callable<Integer> {

        @Option(names = "--url", required = true, paramLabel = "URL", description = "The data center, e.g. https://dc.example:8090.")
        URI url;

        @Option(names = "--token-file", required = true, paramLabel = "FILE",
                description = "A file holding a reader token (queries.readers in the data center's configuration).")
        Path tokenFile;

        @Option(names = "--period", required = true, paramLabel = "week|month|term", description = "How to cut time.")
        String period;

        @Option(names = "--from", paramLabel = "DATE", description = "First day, e.g. 2026-09-01 (for term: default the first term's).")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "Last day, included (for term: default the last term's).")
        String to;

        @Option(names = "--school", paramLabel = "NAME", description = "Only this school (as registered).")
        String school;

        @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
                description = "Output: an aligned table, CSV for spreadsheets, or the raw JSON (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh-CN", description = "CSV column names (default: ${DEFAULT-VALUE}).")
        String lang;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust only this CA certificate for HTTPS (default: the system's).")
        Path caFile;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
                throw new UserFacingException("--format must be table, csv or json, got \"" + format + "\"", FailureHandler.BAD_CONFIG);
            }
            String token;
            try {
                token = Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new UserFacingException("cannot read --token-file " + tokenFile + ": " + e.getMessage(), FailureHandler.BAD_CONFIG);
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("period", period);
            put(params, "from", from);
            put(params, "to", to);
            put(params, "school", school);
            params.put("format", format.equals("csv") ? "csv" : "json");
            if (format.equals("csv")) {
                params.put("lang", lang);
            }
            StringJoiner query = new StringJoiner("&");
            params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (caFile != null) {
                client.sslContext(TrustedCertificates.trustOnly(caFile));
            }
            HttpResponse<String> response;
            URI target = url.resolve("/v1/reports/usage?" + query);
            try {
                response = client.build().send(HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UserFacingException("cannot reach the data center at " + url + ": " + e, FailureHandler.RUNTIME_FAILURE);
            }
            if (response.statusCode() != 200) {
                JsonNode error = readQuietly(response.body());
                throw new UserFacingException("the data center answered " + response.statusCode() + ": "
                        + (error == null ? response.body() : error.path("message").asText(response.body())), FailureHandler.CHECK_FAILED);
            }
            if (format.equals("table")) {
                printTable(new ObjectMapper().readTree(response.body()));
            } else {
                System.out.print(response.body());
                if (format.equals("json")) {
                    System.out.println();
                }
            }
            return 0;
        }

        private static void put(Map<String, String> params, String key, String value) {
            if (value != null) {
                params.put(key, value);
            }
        }

        private static JsonNode readQuietly(String body) {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                // Not JSON (a proxy's error page): the caller shows the body as it is.
                return null;
            }
        }

        private static void printTable(JsonNode report) {
            System.out.printf("Usage of special rooms by %s, %s..%s (%s)%n", report.path("period").asText(),
                    report.path("from").asText(), report.path("to").asText(), report.path("zone").asText());
            String line = "%-12s %-28s %-18s %6s %9s %9s %10s %8s%n";
            System.out.printf(line, "PERIOD", "SCHOOL", "ROOM TYPE", "ROOMS", "SESSIONS", "STUDENTS", "HOURS", "ENTRIES");
            for (JsonNode r : report.path("rows")) {
                System.out.printf(line, r.path("period").asText(), r.path("school").asText(), r.path("roomType").asText(),
                        r.path("rooms").asInt(), r.path("sessions").asInt(), r.path("uniqueStudents").asInt(),
                        String.format(java.util.Locale.ROOT, "%.2f", r.path("occupiedHours").asDouble()), r.path("grantedEntries").asInt());
            }
            if (report.path("openSessions").asLong() > 0) {
                System.out.printf("%d session(s) had no exit or daily close yet; counted up to their latest entry.%n",
                        report.path("openSessions").asLong());
            }
        }
    }
}
