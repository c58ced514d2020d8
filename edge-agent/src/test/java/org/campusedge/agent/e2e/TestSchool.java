package org.campusedge.agent.e2e;

import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configuration files for a one-room school and its data center, written into a test folder. */
final class TestSchool {

    static final String DEVICE = "it-school-box";
    static final String TOKEN = "it-token-6f1c0e94a2b7d3";
    static final String ALLOWED_CARD = "0A00D6E3F2";
    static final String OTHER_ROOM_CARD = "0A00D6E401";
    static final String UNKNOWN_CARD = "5C0041F7E2";

    private TestSchool() {
    }

    /**
     * A mark ({@code last_seq} or {@code acked_seq}) of the priority stream, read straight from the
     * journal file an agent process is writing; -1 while there is no such file or table yet.
     */
    static long priorityMark(org.campusedge.agent.config.AgentConfig config, String column) {
        if (!Files.exists(config.storage().path())) {
            return -1;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + config.storage().path());
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM streams WHERE stream = 'priority'");
             java.sql.ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    static DataCenter startDataCenter(Path dir) throws Exception {
        Path cfg = dir.resolve("datacenter.yaml");
        Files.writeString(cfg, """
                http: {bind: [localhost], port: 0, rate-limit: {requests-per-second: 1000, burst: 1000}}
                storage: {path: dc/datacenter.db}
                devices:
                  - {id: %s, school: IT School, token: %s}
                """.formatted(DEVICE, TOKEN));
        DataCenter dc = new DataCenter(DataCenterConfig.load(cfg));
        dc.start();
        return dc;
    }

    static Path agentConfig(Path dir, String readerPort, int dataCenterPort, String extraSync) throws IOException {
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: %s, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: studio-1, type: recording-studio, capacity: 8}
                  - {id: robotics-1, type: robotics-lab}
                readers:
                  - {id: studio-door, protocol: rdm6300, port: "%s", room: studio-1, relay-pin: 17, led-pin: 27, relay-pulse: 300ms}
                gpio: {provider: mock}
                storage: {path: agent/journal.db, durability: normal}
                sync:
                  url: http://localhost:%d
                  token: %s
                  poll-interval: 200ms
                  min-backoff: 50ms
                  max-backoff: 1s
                %s
                http: {bind: [localhost], port: 0}
                """.formatted(DEVICE, readerPort, dataCenterPort, TOKEN, extraSync));
        Path csv = dir.resolve("cards.csv");
        Files.writeString(csv, """
                card_id,person,rooms,valid_from,valid_until
                %s,S-0117,studio-1,,
                %s,S-0118,robotics-1,,
                """.formatted(ALLOWED_CARD, OTHER_ROOM_CARD));
        return cfg;
    }
}
