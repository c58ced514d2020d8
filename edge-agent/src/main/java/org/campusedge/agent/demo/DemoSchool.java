package org.campusedge.agent.demo;

import java.util.List;

/**
 * The simulated school of the demo: three special rooms, each with a different kind of reader
 * (RDM6300 125 kHz, OSDP v2 with secure channel, PN532 13.56 MHz), and a roster of cards for each
 * technology — most allowed somewhere, a few unknown — that the simulated students tap.
 */
final class DemoSchool {

    static final String DEVICE_ID = "demo-school-001";
    static final String SCHOOL = "Demo No. 1 Middle School";

    /** A room with its door reader and the reader's protocol. */
    record Room(String id, String name, String type, int capacity, String readerId, String protocol) {
    }

    /**
     * A card in the students' pockets; {@code person} is null for cards the school never issued.
     * {@code protocol} says which reader reads it: EM4100 ids at the RDM6300, H10301 card numbers
     * (facility {@link #FACILITY}) at the OSDP reader, 7-byte ISO 14443A UIDs at the PN532.
     */
    record Card(String cardId, String person, String rooms, String protocol) {
    }

    /** Facility code of the school's Wiegand-format cards. */
    static final int FACILITY = 17;

    static final List<Room> ROOMS = List.of(
            new Room("studio-1", "Recording Studio", "recording-studio", 8, "studio-door", "rdm6300"),
            new Room("robotics-1", "Robotics Lab", "robotics-lab", 24, "robotics-door", "osdp"),
            new Room("maker-1", "Maker Space", "maker-space", 20, "maker-door", "pn532"));

    static final List<Card> CARDS = List.of(
            new Card("0A00D6E3F2", "S2024-0117", "studio-1;maker-1", "rdm6300"),
            new Card("0A00D6E5B1", "S2025-0012", "studio-1", "rdm6300"),
            new Card("0A00D6E401", "S2024-0118", "robotics-1", "rdm6300"),
            new Card("1F00A4B2C3", "T-0042", "*", "rdm6300"),
            new Card("5C0041F7E2", null, null, "rdm6300"),
            new Card("1001", "S2024-0231", "robotics-1;maker-1", "osdp"),
            new Card("1002", "S2025-0007", "robotics-1", "osdp"),
            new Card("1003", "S2025-0101", "studio-1", "osdp"),
            new Card("4242", null, null, "osdp"),
            new Card("047BCB51962280", "S2024-0301", "maker-1", "pn532"),
            new Card("04A1B2C3D4E5F6", "S2025-0044", "maker-1;studio-1", "pn532"),
            new Card("0455667788990A", "S2025-0045", "robotics-1", "pn532"),
            new Card("04DEADBEEF0001", null, null, "pn532"));

    /** The cards a room's reader can read. */
    static List<Card> cardsFor(Room room) {
        return CARDS.stream().filter(c -> c.protocol().equals(room.protocol())).toList();
    }

    private DemoSchool() {
    }

    static String cardsCsv() {
        StringBuilder b = new StringBuilder("# Demo allow-list: card_id,person,rooms (';' separated or *),valid_from,valid_until\n");
        b.append("card_id,person,rooms,valid_from,valid_until\n");
        for (Card c : CARDS) {
            if (c.person() != null) {
                b.append(c.cardId()).append(',').append(c.person()).append(',').append(c.rooms()).append(",,\n");
            }
        }
        return b.toString();
    }

    static String agentYaml(List<String> readerPorts, int httpPort, int dataCenterPort, String token, int mqttPort) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by `campus-edge demo`. Every key is explained in deploy-scripts/config/agent.example.yaml.\n");
        b.append("device:\n  id: ").append(DEVICE_ID).append("\n  school: ").append(SCHOOL).append('\n');
        b.append("rooms:\n");
        for (Room r : ROOMS) {
            b.append("  - id: ").append(r.id()).append("\n    name: ").append(r.name()).append("\n    type: ")
                    .append(r.type()).append("\n    capacity: ").append(r.capacity()).append('\n');
        }
        b.append("readers:\n");
        int pin = 17;
        for (int i = 0; i < ROOMS.size(); i++) {
            Room r = ROOMS.get(i);
            b.append("  - id: ").append(r.readerId()).append("\n    protocol: ").append(r.protocol()).append("\n    port: ")
                    .append(readerPorts.get(i)).append("\n    room: ").append(r.id()).append('\n');
            if (r.protocol().equals("osdp")) {
                // The reader shows the decision itself (LED, beeper, strike output) over a secure channel.
                b.append("    address: 1\n    secure-channel:\n      key-file: keys/").append(r.readerId()).append(".key\n");
            } else {
                b.append("    relay-pin: ").append(pin++).append("\n    led-pin: ").append(pin++).append("\n    relay-pulse: 3s\n");
            }
        }
        b.append("gpio:\n  provider: mock\n");
        b.append("storage:\n  path: agent/journal.db\n");
        b.append("sync:\n  url: http://localhost:").append(dataCenterPort).append("\n  token: ").append(token)
                .append("\n  poll-interval: 1s\n  min-backoff: 500ms\n  max-backoff: 10s\n");
        b.append("http:\n  bind: [localhost]\n  port: ").append(httpPort).append('\n');
        // Dashboard accounts (the demo sets the password of `demo` at each start) and a manager token for the CLI.
        b.append("  users-file: users\n  operator-token-file: operator.token\n");
        // The demo brings its own MQTT broker, on a port that leaves a system broker on 1883 alone.
        b.append("broker:\n  bind: [localhost]\n  port: ").append(mqttPort).append('\n');
        b.append("mqtt:\n  url: embedded\n");
        b.append(DemoSensors.SENSORS_YAML);
        b.append("""
                occupancy:
                  close-at: "22:00"
                alarms:
                  - {id: maker-hot, room-types: [maker-space], metric: temperature, above: 35, hysteresis: 1, for: 20s,
                     severity: critical, message: "Maker space above 35 °C"}
                  - {id: co2-high, metric: co2, above: 1500, hysteresis: 100, for: 30s, message: "CO2 above 1500 ppm: ventilate"}
                  - {id: laser-unattended, kind: unattended, rooms: [maker-1], sensors: [laser-cutter], above: 50, for: 30s,
                     severity: critical, message: "Laser cutter on with nobody badged in"}
                  - {id: sensor-silent, kind: silent, after: 1m, severity: info}
                  - {id: door-held, kind: door-held-open, for: 45s}
                """);
        return b.toString();
    }

    static String dataCenterYaml(int port, String token) {
        return "# Written by `campus-edge demo`. Every key is explained in deploy-scripts/config/datacenter.example.yaml.\n"
                + "http:\n  bind: [localhost]\n  port: " + port + "\n"
                + "storage:\n  path: datacenter/datacenter.db\n"
                + "devices:\n  - id: " + DEVICE_ID + "\n    school: " + SCHOOL + "\n    token: " + token + "\n";
    }
}
