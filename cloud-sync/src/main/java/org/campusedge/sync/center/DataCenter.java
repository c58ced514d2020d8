package org.campusedge.sync.center;

import org.campusedge.sync.http.HttpBindException;
import org.campusedge.sync.http.HttpServer;
import org.campusedge.sync.http.HttpServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The city data center service: receives every box's batches over HTTP and stores them exactly
 * once. Wires the {@link EventStore}, the {@link DeviceRegistry} and an {@link HttpServer}
 * named {@code datacenter} (threads {@code datacenter-io-N}, {@code datacenter-worker-N}).
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
    private IngestApi api;
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
     * @throws HttpBindException     if the port cannot be bound (the store is closed again)
     * @throws EventStoreException   if the database cannot be opened
     */
    public synchronized void start() throws HttpBindException {
        if (server != null) {
            throw new IllegalStateException("the data center is already started");
        }
        store = injectedStore != null ? injectedStore : EventStore.open(config.storage());
        DeviceRegistry devices = new ConfiguredDeviceRegistry(config.devices());
        if (devices.size() == 0) {
            LOG.warn("datacenter: no devices configured; every upload will be refused");
        }
        api = new IngestApi(store, devices, clock);
        HttpServer http = new HttpServer("datacenter", config.http().bind(), config.http().port(),
                config.http().maxBodyBytes(), api.router());
        try {
            http.start();
        } catch (HttpBindException | RuntimeException e) {
            closeOwnedStore();
            throw e;
        }
        server = http;
        LOG.info("datacenter: {} devices, storing in {}, listening on port {}", devices.size(),
                injectedStore != null ? injectedStore.getClass().getSimpleName() : config.storage().describe(), http.port());
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
        return a == null ? new DataCenterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : a.stats();
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

    /** Stops listening, then closes the store if this data center opened it. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        closeOwnedStore();
    }

    private void closeOwnedStore() {
        if (store != null && injectedStore == null) {
            store.close();
        }
        store = null;
    }
}
