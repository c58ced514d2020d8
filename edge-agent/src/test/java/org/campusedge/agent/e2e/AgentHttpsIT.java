package org.campusedge.agent.e2e;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's uplink to a data center on HTTPS whose certificate a private CA signed, configured
 * only through the two YAML files ({@code http.tls}; {@code sync.url: https://...}, {@code sync.ca-file}).
 */
class AgentHttpsIT {

    @TempDir
    Path dir;

    @Test
    void the_agent_uploads_its_journal_over_https_trusting_the_city_ca() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=city-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "dc.key");
        openssl("req", "-new", "-key", "dc.key", "-subj", "/CN=localhost", "-out", "dc.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n");
        openssl("x509", "-req", "-in", "dc.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "san.ext", "-out", "dc.pem");
        Path dcConfig = dir.resolve("datacenter.yaml");
        Files.writeString(dcConfig, """
                http:
                  bind: [localhost]
                  port: 0
                  tls: {certificate: dc.pem, key: dc.key}
                storage: {path: dc/datacenter.db}
                devices:
                  - {id: %s, school: IT School, token: %s}
                """.formatted(TestSchool.DEVICE, TestSchool.TOKEN));

        try (DataCenter dc = new DataCenter(DataCenterConfig.load(dcConfig))) {
            dc.start();
            Path cfg = TestSchool.agentConfig(dir, dir.resolve("no-reader-attached").toString(), dc.port(),
                    "  ca-file: ca.pem\n  gzip-min-bytes: 0");
            Files.writeString(cfg, Files.readString(cfg).replace("url: http://localhost:", "url: https://localhost:"));
            long last;
            try (Journal journal = Journal.open(AgentConfigLoader.load(cfg).storage(), java.time.Clock.systemUTC())) {
                List<CompletableFuture<JournalEvent>> fs = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    fs.add(journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(), Optional.of("studio-1"),
                            "{\"reader\":\"studio-door\",\"card\":\"" + String.format("%010X", i) + "\",\"granted\":true}")));
                }
                last = fs.get(fs.size() - 1).join().seq();
            }

            try (Agent agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults())) {
                agent.uplink().orElseThrow().uplink().drainedTo("priority", last).get(60, TimeUnit.SECONDS);

                assertThat(dc.store().count(TestSchool.DEVICE, "priority")).isGreaterThanOrEqualTo(last);
                assertThat(dc.stats().duplicates()).isZero();
                assertThat(dc.httpStats().transport().tlsHandshakes()).isPositive();
                assertThat(dc.httpStats().transport().tlsFailures()).isZero();
                assertThat(dc.httpStats().transport().compressedRequests()).isPositive();
                assertThat(agent.uplink().orElseThrow().uplink().stats().totalFailures()).isZero();
            }
        }
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
    }
}
