package org.campusedge.agent.demo;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.access.AllowListCsv;
import org.campusedge.agent.access.AllowListStore;
import org.campusedge.agent.access.Permission;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.door.DoorController;
import org.campusedge.agent.journal.EventStream;
import org.campusedge.agent.journal.Journal;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.campusedge.bridge.serial.JsscSerialLink;
import org.campusedge.bridge.serial.PtyPair;
import org.campusedge.bridge.serial.SerialLink;
import org.campusedge.bridge.serial.SerialSettings;
import org.campusedge.sync.center.DataCenter;
import org.campusedge.sync.center.DataCenterConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code campus-edge demo}: a whole simulated school in one process — a data center, an agent
 * with three readers (RDM6300, OSDP with secure channel, PN532) on pseudo-terminals (or
 * in-process links without socat), simulated
 * students tapping cards — printing what happens and where to look. Owns every part it starts;
 * {@link #close} stops them in reverse order and leaves the data folder in place.
 */
public final class Demo implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** The embedded broker's port: not 1883, where a school's own Mosquitto may already listen. */
    static final int MQTT_PORT = 1884;
    /** The dashboard account the demo creates. */
    public static final String DEMO_USER = "demo";

    private final Path dir;
    private final PrintStream out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, DemoReader> simulators = new HashMap<>();
    private final Random random = new Random();
    private Agent agent;
    private String demoPassword;
    private DataCenter dataCenter;
    private DemoSensors sensors;

    private Demo(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    /** Starts everything; the demo then runs until {@link #close}. */
    public static Demo start(Path dir, int httpPort, int dataCenterPort, boolean forceInProcess, PrintStream out)
            throws Exception {
        Demo demo = new Demo(dir.toAbsolutePath().normalize(), out);
        try {
            demo.startAll(httpPort, dataCenterPort, forceInProcess);
            return demo;
        } catch (Exception | Error e) {
            demo.close();
            throw e;
        }
    }

    private void startAll(int wantedHttpPort, int wantedDcPort, boolean forceInProcess) throws Exception {
        Files.createDirectories(dir);
        out.printf("CampusEdge demo: a simulated school, data in %s%n", dir);
        String token = token("device.token");
        token("operator.token");
        String password = demoAccount();
        demoPassword = password;
        int dcPort = freePort(wantedDcPort, "data center");
        int httpPort = freePort(wantedHttpPort, "agent HTTP API");
        int mqttPort = freePort(wantedHttpPort == 0 ? 0 : MQTT_PORT, "embedded MQTT broker");

        Path dcConfig = write("datacenter.yaml", DemoSchool.dataCenterYaml(dcPort, token));
        dataCenter = new DataCenter(DataCenterConfig.load(dcConfig));
        dataCenter.start();
        started.add(dataCenter);
        out.printf("  data center   listening on http://localhost:%d (SQLite %s)%n", dataCenter.port(),
                dir.resolve("datacenter/datacenter.db"));

        Map<String, SerialLink> hostEnds = new HashMap<>();
        List<String> ports = readers(forceInProcess, hostEnds);
        Path agentConfig = write("agent.yaml", DemoSchool.agentYaml(ports, httpPort, dataCenter.port(), token, mqttPort));
        AgentConfig config = AgentConfigLoader.load(agentConfig);
        importCards(config);

        AgentOptions options = AgentOptions.defaults().withTapObserver(this::printTap);
        if (!hostEnds.isEmpty()) {
            options = options.withLinks(r -> hostEnds.get(r.id()));
        }
        agent = Agent.start(config, options);
        started.add(agent);
        out.printf("  agent         %s, journal %s%n", config.deviceId(), config.storage().path());
        int brokerPort = agent.broker().orElseThrow().port();
        agent.journal().onCommit(this::printAlarms);
        sensors = DemoSensors.start("tcp://127.0.0.1:" + brokerPort);
        started.add(sensors);
        out.printf("  MQTT broker   embedded, tcp://localhost:%d; simulated sensors: Homie (studio), Zigbee2MQTT (robotics),"
                + " Tasmota + JSON (maker space)%n", brokerPort);
        out.println();
        out.printf("Look here:%n  http://localhost:%d/  (the dashboard: every room, live)%n", agent.httpPort());
        out.printf("  log in as   %s / %s   (a manager; a new password at every start; more accounts: %s users add --file %s)%n",
                DEMO_USER, password, launcher(), dir.resolve("users"));
        out.printf("  http://localhost:%d/api/rooms  (live rooms as JSON; /api/stream for updates as they happen)%n"
                + "  http://localhost:%d/api/health%n  http://localhost:%d/api/events?limit=20%n"
                + "  http://localhost:%d/metrics%n  (in the browser once logged in; tools send Authorization: Bearer <token>)%n"
                + "  http://localhost:%d/v1/health  (data center)%n",
                agent.httpPort(), agent.httpPort(), agent.httpPort(), agent.httpPort(), dataCenter.port());
        out.printf("Try: %s status --url http://localhost:%d --token-file %s%n", launcher(), agent.httpPort(),
                dir.resolve("operator.token"));
        out.println("Stop with Ctrl-C; the data stays in the folder above.");
        out.println();
        startStudents();
    }

    private List<String> readers(boolean forceInProcess, Map<String, SerialLink> hostEnds) throws Exception {
        List<String> ports = new ArrayList<>();
        boolean ptys = !forceInProcess && PtyPair.isSocatAvailable();
        String kinds = "RDM6300 125 kHz, OSDP v2 with secure channel, PN532 13.56 MHz";
        if (ptys) {
            Files.createDirectories(dir.resolve("dev"));
            out.println("  readers       3 simulated readers (" + kinds + ") on pseudo-terminals (socat):");
        } else {
            out.println("  readers       3 simulated readers (" + kinds + ") on in-process links"
                    + (forceInProcess ? "" : " (socat is not installed; apt install socat for real pseudo-terminals)"));
        }
        byte[] osdpKey = osdpKey();
        for (DemoSchool.Room room : DemoSchool.ROOMS) {
            String id = room.readerId();
            SerialLink deviceEnd;
            if (ptys) {
                Path readerSide = dir.resolve("dev").resolve(id);
                Path deviceSide = dir.resolve("dev").resolve(id + "-sim");
                PtyPair pair = PtyPair.open(readerSide, deviceSide);
                started.add(pair);
                ports.add(readerSide.toString());
                int baud = room.protocol().equals("pn532") ? 115_200 : 9600;
                deviceEnd = new JsscSerialLink(SerialSettings.of8N1(deviceSide.toString(), baud));
                out.printf("                %-14s %-8s %s  <->  simulator %s%n", id, room.protocol(), readerSide, deviceSide);
            } else {
                InProcessSerialPipe pipe = new InProcessSerialPipe(id);
                hostEnds.put(id, pipe.hostEnd());
                ports.add("inproc:" + id);
                deviceEnd = pipe.deviceEnd();
            }
            deviceEnd.open();
            started.add(deviceEnd);
            DemoReader sim = DemoReader.on(room.protocol(), deviceEnd, osdpKey);
            started.add(sim);
            simulators.put(id, sim);
        }
        return ports;
    }

    /** The OSDP reader's secure channel key, kept in the demo folder like a provisioned box keeps it. */
    private byte[] osdpKey() throws IOException {
        Path file = dir.resolve("keys").resolve("robotics-door.key");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, HexFormat.of().formatHex(key) + "\n");
        }
        return HexFormat.of().parseHex(Files.readString(file).trim());
    }

    private void importCards(AgentConfig config) throws Exception {
        Set<String> rooms = DemoSchool.ROOMS.stream().map(DemoSchool.Room::id).collect(Collectors.toSet());
        List<Permission> cards = AllowListCsv.read(new StringReader(DemoSchool.cardsCsv()), "demo cards", rooms);
        write("cards.csv", DemoSchool.cardsCsv());
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            new AllowListStore(journal).save(cards, true).join();
        }
        out.printf("  allow-list    %d cards imported from %s%n", cards.size(), dir.resolve("cards.csv"));
    }

    private void startStudents() {
        ScheduledExecutorService students = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-students");
            t.setDaemon(true);
            return t;
        });
        started.add(() -> {
            students.shutdownNow();
            students.awaitTermination(5, TimeUnit.SECONDS);
        });
        students.scheduleWithFixedDelay(this::someoneTaps, 1_000, 2_500, TimeUnit.MILLISECONDS);
        students.scheduleWithFixedDelay(this::printSync, 5, 10, TimeUnit.SECONDS);
    }

    private void someoneTaps() {
        DemoSchool.Room room = DemoSchool.ROOMS.get(random.nextInt(DemoSchool.ROOMS.size()));
        List<DemoSchool.Card> cards = DemoSchool.cardsFor(room);
        DemoSchool.Card card = cards.get(random.nextInt(cards.size()));
        try {
            simulators.get(room.readerId()).tap(card.cardId(), Duration.ofMillis(300 + random.nextInt(700)));
        } catch (Exception e) {
            out.printf("%s  simulator %s: %s%n", LocalTime.now().format(TIME), room.readerId(), e.getMessage());
        }
    }

    private void printTap(DoorController.TapOutcome tap) {
        out.printf("%s  %-14s card %s %-12s %-8s %-18s (decided in %.3f ms)%n", LocalTime.now().format(TIME),
                tap.reader().id(), tap.read().cardId(), tap.decision().person().map(p -> "(" + p + ")").orElse("(unknown)"),
                tap.decision().granted() ? "OPEN" : "DENIED", tap.decision().reason().code(), tap.decisionNanos() / 1e6);
    }

    /** Alarm raises, clears and acknowledgements as they are committed (runs on the journal writer: print only). */
    private void printAlarms(List<org.campusedge.agent.journal.JournalEvent> events) {
        for (org.campusedge.agent.journal.JournalEvent e : events) {
            if (e.type().startsWith("alarm.")) {
                try {
                    com.fasterxml.jackson.databind.JsonNode p = org.campusedge.agent.journal.EventJson.MAPPER.readTree(e.payloadJson());
                    out.printf("%s  ALARM %-12s %-18s %s%s%n", LocalTime.now().format(TIME),
                            e.type().substring("alarm.".length()), p.path("alarm").asText(),
                            p.has("by") ? "by " + p.path("by").asText() : p.path("message").asText(""), p.has("value") ? " (value " + p.path("value").asText() + ")" : "");
                } catch (IOException ex) {
                    out.printf("%s  alarm event %d unreadable: %s%n", LocalTime.now().format(TIME), e.seq(), ex.getMessage());
                }
            }
        }
    }

    private void printSync() {
        Journal j = agent.journal();
        String stream = EventStream.PRIORITY.wireName();
        out.printf("%s  sync: %d events journaled, %d acknowledged by the data center, %d waiting%n",
                LocalTime.now().format(TIME), j.lastSeq(stream), j.ackedSeq(stream),
                j.pending().get(EventStream.PRIORITY));
    }

    /** How the user started us, for copy-paste hints: {@code java -jar <path>} when run from the jar. */
    private static String launcher() {
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.toString().endsWith(".jar")) {
                Path here = Path.of("").toAbsolutePath();
                return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Fall through to the generic name.
        }
        return "campus-edge";
    }

    public Agent agent() {
        return agent;
    }

    /** The password of {@link #DEMO_USER} for this run (tests log in with it). */
    public String demoPassword() {
        return demoPassword;
    }

    public DataCenter dataCenter() {
        return dataCenter;
    }

    public Path dir() {
        return dir;
    }

    /** Presents a card at a reader now (used by tests and the demo's students). */
    public void tap(String readerId, String cardId, Duration hold) throws Exception {
        simulators.get(readerId).tap(cardId, hold);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /**
     * Gives the dashboard account {@link #DEMO_USER} (a manager) a new random password in the demo's
     * users file, keeping any account added there with {@code users add}; returns the password.
     */
    private String demoAccount() throws IOException {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom rnd = new SecureRandom();
        StringBuilder pw = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            pw.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        char[] chars = pw.toString().toCharArray();
        try {
            UsersFile.put(dir.resolve("users"), new Account(DEMO_USER, Role.MANAGER, PasswordHash.create(chars)));
        } catch (UsersFile.UsersFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        return pw.toString();
    }

    /** Reuses a token of an earlier run in the same folder, so the data center keeps knowing the box. */
    private String token(String name) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Files.writeString(file, token + "\n");
        return token;
    }

    /** The wanted port if it is free on localhost, otherwise a free one (said so). 0 always picks a free one. */
    private int freePort(int wanted, String what) throws IOException {
        if (wanted != 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
                return wanted;
            } catch (IOException busy) {
                out.printf("  note: port %d is in use, the %s takes a free port instead%n", wanted, what);
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.printf("while stopping: %s%n", e);
            }
        }
        started.clear();
    }
}
