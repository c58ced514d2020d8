package org.campusedge.agent;

import com.pi4j.context.Context;
import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.AccessMode;
import org.campusedge.agent.access.AccessModes;
import org.campusedge.agent.access.AllowList;
import org.campusedge.agent.access.AllowListStore;
import org.campusedge.agent.auth.HttpAuth;
import org.campusedge.agent.broker.EmbeddedBroker;
import org.campusedge.agent.dashboard.DashboardRoutes;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.GpioConfig;
import org.campusedge.agent.config.ReaderConfig;
import org.campusedge.agent.config.RoomConfig;
import org.campusedge.agent.config.RoomType;
import org.campusedge.agent.door.DoorController;
import org.campusedge.agent.downlink.BoxDownlink;
import org.campusedge.agent.downlink.DownlinkClient;
import org.campusedge.agent.downlink.DownlinkStateStore;
import org.campusedge.agent.http.HealthReport;
import org.campusedge.agent.http.AccessApi;
import org.campusedge.agent.http.AgentApi;
import org.campusedge.agent.http.HttpServerMetrics;
import org.campusedge.agent.http.PrometheusText;
import org.campusedge.agent.http.RoomsApi;
import org.campusedge.agent.http.RoomHistoryApi;
import org.campusedge.agent.http.AlarmsApi;
import org.campusedge.agent.rooms.MetricHistory;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalRetention;
import org.campusedge.agent.journal.SensorAggregator;
import org.campusedge.agent.journal.StorageStats;
import org.campusedge.agent.rooms.LiveRooms;
import org.campusedge.agent.sensors.MqttSensorConfig;
import org.campusedge.agent.rooms.RoomStream;
import org.campusedge.bridge.CardReader;
import org.campusedge.bridge.ReaderCounters;
import org.campusedge.bridge.gpio.GpioContexts;
import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.Router;
import org.campusedge.sync.http.SseHub;
import org.campusedge.sync.http.SseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running agent: journal, allow-list, readers and their doors, uplink and HTTP API, wired
 * from one {@link AgentConfig}. {@link #start} brings everything up in dependency order and
 * {@link #close} takes it down in reverse, releasing every port, file and thread it opened.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** How often closed minutes are looked for; a minute is summarised within this of its grace ending. */
    private static final Duration AGGREGATE_EVERY = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final AgentOptions options;
    private final Instant startedAt;
    private final DoorController.DoorStats doorStats = new DoorController.DoorStats();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ReaderHandle> readers = new ArrayList<>();
    private Journal journal;
    private SensorAggregator aggregator;
    private JournalRetention retention;
    private AccessDecider decider;
    private BoxDownlink downlink;
    private DownlinkClient downlinkClient;
    private Optional<AgentUplink> uplink = Optional.empty();
    private Optional<AgentSensors> sensors = Optional.empty();
    private HttpServer http;
    private LiveRooms liveRooms;
    private SseHub stream;
    private EmbeddedBroker broker;
    private Context gpio;
    private volatile boolean closed;

    /** A running reader with its configuration. */
    record ReaderHandle(ReaderConfig config, CardReader reader) {
    }

    private Agent(AgentConfig config, AgentOptions options) {
        this.config = config;
        this.options = options;
        this.startedAt = options.clock().instant();
    }

    /** Starts an agent; on failure, whatever was already started is closed again. */
    public static Agent start(AgentConfig config, AgentOptions options) throws IOException {
        Agent agent = new Agent(config, options);
        try {
            agent.startAll();
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        journal = Journal.open(config.storage(), options.clock());
        toClose.add(journal);
        // Before anything appends: the rebuild must see every event, the listener every later one.
        stream = new SseHub("agent-stream", SseSettings.defaults());
        toClose.add(stream);
        liveRooms = LiveRooms.start(config, journal, options.clock(), new RoomStream(stream));
        toClose.add(liveRooms);

        AllowListStore allowListStore = new AllowListStore(journal);
        AllowList list = allowListStore.load();
        // Capacity, anti-passback and toggle readers read who is inside from the live room state.
        decider = new AccessDecider(list, config.access(), config.zone(), liveRooms.state());
        decider.restoreMode(AccessModes.restore(journal));
        if (decider.mode() != AccessMode.NORMAL) {
            LOG.warn("agent {}: access mode {} restored from the journal", config.deviceId(), decider.mode().wireName());
        }
        LOG.info("agent {}: journal {} open, {} cards on the allow-list (version {})", config.deviceId(),
                journal.path(), list.size(), list.version());
        downlink = BoxDownlink.restore(config, new DownlinkStateStore(journal), decider, list, liveRooms::replaceAlarmRules);
        startAllowListWatch(allowListStore);
        aggregator = new SensorAggregator(journal, options.clock(), config.storage().aggregateGrace());
        aggregator.start(AGGREGATE_EVERY);
        toClose.add(aggregator);
        retention = new JournalRetention(journal, config.storage().retention(), options.clock(), aggregator::doneBefore);
        retention.start();
        toClose.add(retention);

        journal.append(lifecycle("started"));

        uplink = AgentUplink.create(config, journal);
        uplink.ifPresent(u -> {
            journal.onCommit(events -> u.wakeUp());
            u.start();
            toClose.add(u);
        });

        if (config.sync().downlinkEnabled()) {
            DownlinkClient client = new DownlinkClient(config.deviceId(), config.sync(), downlink);
            // Long-polls keep the center's view of the backlog fresh while the uplink has nothing to send.
            uplink.ifPresent(u -> client.reportBacklog(u.uplink()::backlog));
            client.start();
            toClose.add(client);
            downlinkClient = client;
        }

        startReaders();
        Optional<MqttSensorConfig> sensorConfig = config.sensors();
        if (config.broker().isPresent()) {
            broker = EmbeddedBroker.start(config.broker().get());
            toClose.add(broker);
            LOG.info("agent {}: embedded MQTT broker on {}", config.deviceId(), broker.boundAddresses());
            sensorConfig = sensorConfig.map(c -> c.usesEmbeddedBroker() ? c.withUrl(localUrl(broker)) : c);
        }
        try {
            sensors = AgentSensors.start(sensorConfig, journal);
        } catch (Exception e) {
            throw new IOException("cannot start MQTT sensor ingest: " + e.getMessage(), e);
        }
        sensors.ifPresent(toClose::add);

        AgentStatus status = new AgentStatus(config, startedAt, options.clock(), readers, journal, doorStats, uplink, sensors,
                () -> StorageStats.of(journal, aggregator, retention), liveRooms, Optional.ofNullable(broker),
                this::downlinkHealth);
        HttpAuth auth = new HttpAuth(config.http().auth(), options.clock(), false, stream::recheckLeases);
        AgentApi api = new AgentApi(journal, status::health, () -> status.metrics() + auth.metrics() + httpMetrics(), stream)
                .withSchoolTime(config.zone(), options.clock());
        Router router = new RoomsApi(liveRooms.state(), options.clock(), stream::lastEventId).register(api.router());
        new AccessApi(decider, journal, options.clock(), auth.gate()::principal).register(router);
        new RoomHistoryApi(new MetricHistory(journal, liveRooms.state(), aggregator::doneBefore), liveRooms.state(),
                options.clock()).register(router);
        new AlarmsApi(liveRooms.state(), journal, options.clock(), auth.gate()::principal).register(router);
        DashboardRoutes.fromClasspath().register(router);
        auth.register(router);
        http = new HttpServer("agent-http", config.http().bind(), config.http().port(), 64 * 1024, router);
        http.start();
        toClose.add(http);
        LOG.info("agent {}: HTTP API on {}", config.deviceId(), http.boundAddresses());
    }

    /** The HTTP server's own counters; empty until it has started. */
    private String httpMetrics() {
        HttpServer server = http;
        if (server == null) {
            return "";
        }
        PrometheusText p = new PrometheusText();
        HttpServerMetrics.render(server.stats(), p);
        return p.toString();
    }

    private void startAllowListWatch(AllowListStore store) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "allow-list-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(() -> {
            try {
                long v = store.version();
                if (v != decider.current().version()) {
                    AllowList next = store.load();
                    downlink.localChanged(next);
                    LOG.info("allow-list reloaded: {} cards, version {}", next.size(), next.version());
                }
            } catch (RuntimeException e) {
                LOG.warn("allow-list reload failed: {}", e.getMessage());
            }
        }, 2, 2, TimeUnit.SECONDS);
        toClose.add(() -> {
            watch.shutdownNow();
            watch.awaitTermination(5, TimeUnit.SECONDS);
        });
    }

    private void startReaders() {
        boolean needsGpio = config.readers().stream().anyMatch(r -> DoorHardware.wired(r) || r.wiegand().isPresent());
        if (needsGpio) {
            gpio = config.gpio().provider() == GpioConfig.Provider.AUTO ? GpioContexts.auto() : GpioContexts.mock();
            Context ctx = gpio;
            toClose.add(ctx::shutdown);
        }
        ReaderDrivers drivers = new ReaderDrivers(options.links(), options.clock());
        for (ReaderConfig rc : config.readers()) {
            RoomType roomType = config.rooms().stream().filter(r -> r.id().equals(rc.room())).findFirst()
                    .map(RoomConfig::type).orElse(null);
            ReaderDrivers.Wired wired = drivers.create(rc, gpio, door ->
                    new DoorController(rc, roomType, decider, door, journal, doorStats, options.tapObserver()));
            toClose.add(wired.door());
            toClose.add(wired.reader());
            readers.add(new ReaderHandle(rc, wired.reader()));
        }
        // Start only when every reader exists: readers sharing an OSDP bus must all be on it first.
        readers.forEach(h -> h.reader().start());
    }

    /** How the agent's own ingest reaches its embedded broker: loopback, IPv4 if bound, else IPv6. */
    private static URI localUrl(EmbeddedBroker broker) {
        InetSocketAddress a = broker.boundAddresses().stream().filter(x -> x.getAddress() instanceof java.net.Inet4Address)
                .findFirst().orElse(broker.boundAddresses().get(0));
        String host = a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        if (a.getAddress().isAnyLocalAddress()) {
            host = a.getAddress() instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1";
        }
        return URI.create("tcp://" + host + ":" + a.getPort());
    }

    /** The embedded MQTT broker, when one is configured. */
    public Optional<EmbeddedBroker> broker() {
        return Optional.ofNullable(broker);
    }

    private JournalEntry lifecycle(String what) {
        String json = "{\"event\":\"" + what + "\",\"version\":\"" + Version.get() + "\"}";
        return new JournalEntry(EventType.AGENT_LIFECYCLE, options.clock().instant(), Optional.empty(), json);
    }

    public AgentConfig config() {
        return config;
    }

    public Journal journal() {
        return journal;
    }

    public AccessDecider decider() {
        return decider;
    }

    private HealthReport.DownlinkHealth downlinkHealth() {
        DownlinkClient c = downlinkClient;
        if (c == null) {
            return new HealthReport.DownlinkHealth(false, downlink.version(), 0, 0, 0, null, null);
        }
        DownlinkClient.Stats s = c.stats();
        return new HealthReport.DownlinkHealth(true, s.version(), s.applied(), s.failures(), s.rejected(),
                s.lastSuccess().orElse(null), s.lastError().orElse(null));
    }

    /** The downlink in force (version, items). */
    public BoxDownlink downlink() {
        return downlink;
    }

    public DoorController.DoorStats doorStats() {
        return doorStats;
    }

    /** Live room state, alarms and daily close. */
    public LiveRooms rooms() {
        return liveRooms;
    }

    /** The journal's space, retention and aggregation counters. */
    public StorageStats storageStats() {
        return StorageStats.of(journal, aggregator, retention);
    }

    public Optional<AgentUplink> uplink() {
        return uplink;
    }

    /** The GPIO context driving door outputs, if any reader has pins configured. */
    public Optional<Context> gpio() {
        return Optional.ofNullable(gpio);
    }

    /** Counters of one configured reader. */
    public ReaderCounters readerCounters(String readerId) {
        return readers.stream().filter(r -> r.config().id().equals(readerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reader " + readerId)).reader().counters();
    }

    /** Where the HTTP API listens. */
    public List<InetSocketAddress> httpAddresses() {
        return http.boundAddresses();
    }

    public int httpPort() {
        return http.port();
    }

    /** The HTTP server's counters: requests and replies by status class (bad requests are the 4xx). */
    public org.campusedge.sync.http.HttpServerStats httpStats() {
        return http.stats();
    }

    /** Stops readers first (no new taps), then sync and HTTP, then commits and closes the journal. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (journal != null) {
            journal.append(lifecycle("stopped"));
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        LOG.info("agent {} stopped", config.deviceId());
    }
}
