package org.campusedge.sync.center;

import org.campusedge.sync.center.query.QueryApi;
import org.campusedge.sync.center.query.QueryStats;
import org.campusedge.sync.http.HttpBindException;
import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.HttpServerStats;
import org.campusedge.sync.http.ServerTls;
import org.campusedge.sync.http.TlsSetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The city data center service: receives every box's batches over HTTP and stores them exactly
 * once, and answers the city-wide queries ({@link QueryApi}). Wires the {@link EventStore}, the {@link DeviceStore} (with the configuration's
 * {@code devices:} merged in at start) and an {@link HttpServer} named {@code datacenter}
 * (threads {@code datacenter-io-N}, {@code datacenter-worker-N}), over HTTPS when
 * {@code http.tls} is configured.
 *
 * <p>{@link #start()} and {@link #close()} belong to the owning thread (the CLI's main thread);
 * the accessors may be called from any thread.
 */
public final class DataCenter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataCenter.class);

    private final DataCenterConfig config;
    private final EventStore injectedStore;
    private final Clock clock;
    private EventStore store;
    private DeviceStore devices;
    private IngestApi api;
    private QueryApi queries;
    private DownlinkStore downlink;
    private DownlinkApi downlinkApi;
    private BacklogBook backlogs;
    private HttpServer server;

    /** A data center storing where the configuration's {@code storage} section says. */
    public DataCenter(DataCenterConfig config) {
        this(config, null, Clock.systemUTC());
    }

    /**
     * A data center on the given store (a test double, or a store shared with other code); the caller keeps
     * ownership of {@code store} and closes it.
     */
    public DataCenter(DataCenterConfig config, EventStore store) {
        this(config, Objects.requireNonNull(store, "store"), Clock.systemUTC());
    }

    private DataCenter(DataCenterConfig config, EventStore store, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.injectedStore = store;
        this.clock = clock;
    }

    /**
     * Opens the store and starts listening.
     *
     * @throws HttpBindException     if the port cannot be bound (the stores are closed again)
     * @throws TlsSetupException     if the TLS certificate or key cannot be used
     * @throws EventStoreException   if the database cannot be opened
     * @throws DeviceStoreException  if the device registry cannot be opened or the configured devices clash with it
     */
    public synchronized void start() throws HttpBindException, TlsSetupException {
        if (server != null) {
            throw new IllegalStateException("the data center is already started");
        }
        DataCenterConfig.Http h = config.http();
        Optional<ServerTls> tls = Optional.empty();
        if (h.tls().isPresent()) {
            tls = Optional.of(ServerTls.load(h.tls().get().certificate(), h.tls().get().key()));
        }
        try {
            devices = DeviceStore.open(config);
            devices.importConfigured(config.devices(), clock.instant());
            store = injectedStore != null ? injectedStore : EventStore.open(config.storage());
            downlink = DownlinkStore.open(config);
            downlink.compact(clock.instant().minus(config.downlink().keepRemoved()));
        } catch (RuntimeException e) {
            closeOwned();
            throw e;
        }
        int known = devices.size();
        if (known == 0) {
            LOG.warn("datacenter: no devices in {} or the configuration; every upload will be refused "
                    + "(add one with: campus-edge provision --config FILE --id ID --school NAME)", devices.where());
        }
        backlogs = new BacklogBook(store);
        api = new IngestApi(store, devices, new RateLimiter(h.rateLimit().requestsPerSecond(), h.rateLimit().burst(),
                System::nanoTime), backlogs, clock);
        QueryApi q = new QueryApi(store, devices, config.queries(), backlogs::all, clock);
        downlinkApi = new DownlinkApi(downlink, api, devices, config.downlink(), clock);
        HttpServer http = new HttpServer("datacenter", h.bind(), h.port(), h.maxBodyBytes(),
                downlinkApi.register(q.register(api.router())), tls);
        api.httpStats(http::stats);
        api.queryStats(q::stats);
        api.longPollStats(downlinkApi::pollStats);
        queries = q;
        try {
            http.start();
        } catch (HttpBindException | RuntimeException e) {
            downlinkApi.close();
            downlinkApi = null;
            closeOwned();
            throw e;
        }
        server = http;
        LOG.info("datacenter: {} devices, storing in {}, listening ({}) on port {}", known,
                injectedStore != null ? injectedStore.getClass().getSimpleName() : config.storage().describe(),
                tls.isPresent() ? "https" : "http", http.port());
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        HttpServer s = server;
        return s == null ? config.http().port() : s.port();
    }

    /** The addresses listened on; empty unless started. */
    public List<InetSocketAddress> boundAddresses() {
        HttpServer s = server;
        return s == null ? List.of() : s.boundAddresses();
    }

    /** Ingest counters; all zero before {@link #start()}. */
    public DataCenterStats stats() {
        IngestApi a = api;
        return a == null ? new DataCenterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : a.stats();
    }

    /** Counters of the city-wide queries; all zero before {@link #start()}. */
    public QueryStats queryStats() {
        QueryApi q = queries;
        return q == null ? new QueryStats(0, 0, 0, 0, 0) : q.stats();
    }

    /** HTTP counters; all zero before {@link #start()}. */
    public HttpServerStats httpStats() {
        HttpServer s = server;
        return s == null ? new HttpServerStats(0, 0, 0, 0, 0, 0) : s.stats();
    }

    /** The store, for queries and reports; null before {@link #start()}. */
    public EventStore store() {
        return store;
    }

    /** What the boxes are sent; null before {@link #start()}. */
    public DownlinkStore downlink() {
        return downlink;
    }

    /** The device registry; null before {@link #start()}. */
    public DeviceStore devices() {
        return devices;
    }

    /** Stops listening, then closes the device registry and the store if this data center opened it. */
    @Override
    public synchronized void close() {
        if (downlinkApi != null) {
            downlinkApi.close();
            downlinkApi = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        closeOwned();
    }

    private void closeOwned() {
        if (backlogs != null) {
            backlogs.close();
        }
        backlogs = null;
        if (store != null && injectedStore == null) {
            store.close();
        }
        store = null;
        if (downlink != null) {
            downlink.close();
        }
        downlink = null;
        if (devices != null) {
            devices.close();
        }
        devices = null;
    }
}
