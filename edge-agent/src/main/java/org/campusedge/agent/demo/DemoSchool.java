package org.campusedge.agent.demo;

import java.util.List;

/**
 * The simulated school of the demo: three special rooms with a reader each, and a roster of
 * cards — most allowed somewhere, a few unknown — that the simulated students tap.
 */
final class DemoSchool {

    static final String DEVICE_ID = "demo-school-001";
    static final String SCHOOL = "Demo No. 1 Middle School";

    /** A room with its door reader. */
    record Room(String id, String name, String type, int capacity, String readerId) {
    }

    /** A card in the students' pockets; {@code person} is null for cards the school never issued. */
    record Card(String cardId, String person, String rooms) {
    }

    static final List<Room> ROOMS = List.of(
            new Room("studio-1", "Recording Studio", "recording-studio", 8, "studio-door"),
            new Room("robotics-1", "Robotics Lab", "robotics-lab", 24, "robotics-door"),
            new Room("maker-1", "Maker Space", "maker-space", 20, "maker-door"));

    static final List<Card> CARDS = List.of(
            new Card("0A00D6E3F2", "S2024-0117", "studio-1;maker-1"),
            new Card("0A00D6E401", "S2024-0118", "robotics-1"),
            new Card("0A00D6E455", "S2024-0231", "robotics-1;maker-1"),
            new Card("0A00D6E5A0", "S2025-0007", "maker-1"),
            new Card("0A00D6E5B1", "S2025-0012", "studio-1"),
            new Card("1F00A4B2C3", "T-0042", "*"),
            new Card("5C0041F7E2", null, null),
            new Card("5C0041F7E3", null, null));

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

    static String agentYaml(List<String> readerPorts, int httpPort, int dataCenterPort, String token) {
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
            b.append("  - id: ").append(r.readerId()).append("\n    protocol: rdm6300\n    port: ")
                    .append(readerPorts.get(i)).append("\n    room: ").append(r.id())
                    .append("\n    relay-pin: ").append(pin++).append("\n    led-pin: ").append(pin++)
                    .append("\n    relay-pulse: 3s\n");
        }
        b.append("gpio:\n  provider: mock\n");
        b.append("storage:\n  path: agent/journal.db\n");
        b.append("sync:\n  url: http://localhost:").append(dataCenterPort).append("\n  token: ").append(token)
                .append("\n  poll-interval: 1s\n  min-backoff: 500ms\n  max-backoff: 10s\n");
        b.append("http:\n  bind: [localhost]\n  port: ").append(httpPort).append('\n');
        return b.toString();
    }

    static String dataCenterYaml(int port, String token) {
        return "# Written by `campus-edge demo`. Every key is explained in deploy-scripts/config/datacenter.example.yaml.\n"
                + "http:\n  bind: [localhost]\n  port: " + port + "\n"
                + "storage:\n  path: datacenter/datacenter.db\n"
                + "devices:\n  - id: " + DEVICE_ID + "\n    school: " + SCHOOL + "\n    token: " + token + "\n";
    }
}
