package org.campusedge.sync.center;

import org.campusedge.sync.runtime.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data center's device registry, table {@code devices}: device id, school, the SHA-256 of its
 * token, when it was created, revoked and last heard from. With SQLite storage it lives in its own
 * file; with PostgreSQL storage in the events database ({@link #open(DataCenterConfig)} picks).
 * The SQL is the same on both (timestamps are ISO-8601 text), so one class serves both and one
 * contract suite ({@code DeviceRegistryContract}) checks both.
 *
 * <p>Why its own SQLite file and not the events database: {@code campus-edge provision} writes
 * to it while the data center runs without ever waiting on an ingest transaction's write lock.
 * PostgreSQL has row locks, so there the registry shares the database every data center process
 * already reaches (several processes behind a load balancer see one registry).
 *
 * <p>Why an unsalted, fast hash: tokens this store issues are 192 random bits, so neither a
 * dictionary nor brute force over the hash is feasible, and salting or stretching (bcrypt,
 * PBKDF2) would only cost CPU on every request. It also lets a request find its device by an
 * indexed lookup of the hash: the lookup's timing depends on the hash of what the client sent,
 * which the client cannot steer towards a stored hash. (Tokens written by hand into the YAML
 * {@code devices:} list are only as strong as their author made them; the config demands 16
 * characters and suggests {@code openssl rand -hex 24}.)
 *
 * <p>Every authentication reads the row, so a revocation takes effect at the next request, also
 * when another process (the CLI) made it. Thread-safe through this object's monitor around one
 * connection; the SQLite file is in WAL mode, so the CLI and the data center share it. A
 * connection that failed (a PostgreSQL restart) is replaced at the next call.
 */
public final class DeviceStore implements DeviceRegistry, AutoCloseable {

    /** Tokens are this many random bytes, written as hex. */
    public static final int TOKEN_BYTES = 24;
    static final String PROVISIONED = "provisioned";
    static final String CONFIG = "config";
    private static final Duration CONTACT_WRITE_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStore.class);
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS devices (
                device_id    TEXT PRIMARY KEY,
                school       TEXT NOT NULL,
                token_hash   TEXT NOT NULL UNIQUE,
                created_at   TEXT NOT NULL,
                revoked_at   TEXT,
                last_contact TEXT,
                source       TEXT NOT NULL
            )""";

    /** Opens a connection to the registry's database. */
    private interface Opener {
        Connection open() throws SQLException;
    }

    private final String where;
    private final Opener opener;
    private Connection db;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> contactWritten = new ConcurrentHashMap<>();
    private final LogThrottle contactLog = new LogThrottle(Duration.ofMinutes(1));

    private DeviceStore(String where, Opener opener, Connection db) {
        this.where = where;
        this.opener = opener;
        this.db = db;
    }

    /**
     * Opens the registry a configuration names: the {@code devices} table of the PostgreSQL
     * database with {@code storage.type: postgresql}, else the SQLite file {@code registry.path}.
     */
    public static DeviceStore open(DataCenterConfig config) {
        if (config.storage().type() == DataCenterConfig.Storage.Type.POSTGRESQL) {
            DataCenterConfig.Postgres pg = config.storage().postgres();
            String password;
            try {
                password = pg.password();
            } catch (IOException e) {
                throw new DeviceStoreException("cannot read storage.password-file " + pg.passwordFile() + ": " + e.getMessage(), e);
            }
            return openPostgres(pg.url(), pg.user(), password);
        }
        return open(config.registry().path());
    }

    /** Opens (creating if needed) the registry file. */
    public static DeviceStore open(Path file) {
        try {
            SqliteFiles.createFolder(file);
        } catch (IOException e) {
            throw new DeviceStoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        return open(file.toString(), () -> SqliteFiles.connect(file));
    }

    /**
     * Opens (creating the table if needed) the registry in a PostgreSQL database, in the role's
     * current schema.
     *
     * @param password null or empty for trust or peer authentication
     */
    public static DeviceStore openPostgres(String url, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "campus-edge-registry");
        p.setProperty("tcpKeepAlive", "true");
        int q = url.indexOf('?');
        return open("PostgreSQL " + (q < 0 ? url : url.substring(0, q)), () -> DriverManager.getConnection(url, p));
    }

    private static DeviceStore open(String where, Opener opener) {
        Connection db = null;
        try {
            db = opener.open();
            try (Statement s = db.createStatement()) {
                s.execute(SCHEMA);
            }
            return new DeviceStore(where, opener, db);
        } catch (SQLException e) {
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new DeviceStoreException("cannot open the device registry " + where + ": " + e.getMessage(), e);
        }
    }

    /** Where the registry is, for messages: the SQLite file, or {@code PostgreSQL <url without parameters>}. */
    public String where() {
        return where;
    }

    /**
     * Creates a device with a fresh random token and returns the token, which is kept nowhere.
     *
     * @throws DeviceStoreException if the id is taken (revoked ids too: a revoked id stays revoked)
     */
    public synchronized String provision(String id, String school, Instant now) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        try (PreparedStatement p = db().prepareStatement(
                "INSERT INTO devices (device_id, school, token_hash, created_at, source) VALUES (?, ?, ?, ?, ?)")) {
            if (find(id).isPresent()) {
                throw new DeviceStoreException("device " + id + " already exists in " + where
                        + "; revoke it and provision a new id to replace its token", null);
            }
            p.setString(1, id);
            p.setString(2, school);
            p.setString(3, TokenHash.of(token).hex());
            p.setString(4, now.toString());
            p.setString(5, PROVISIONED);
            p.executeUpdate();
            return token;
        } catch (SQLException e) {
            throw failure("provision device " + id, e);
        }
    }

    /**
     * Revokes a device's token; from its next request on it is answered 403.
     *
     * @return false if no such device exists; true if it is revoked now or already was
     */
    public synchronized boolean revoke(String id, Instant now) {
        try (PreparedStatement p = db().prepareStatement(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE device_id = ?")) {
            p.setString(1, now.toString());
            p.setString(2, id);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("revoke device " + id, e);
        }
    }

    /** Every device, by id. */
    public synchronized List<RegisteredDevice> list() {
        List<RegisteredDevice> all = new ArrayList<>();
        try (Statement s = db().createStatement();
             ResultSet r = s.executeQuery("SELECT device_id, school, created_at, revoked_at, last_contact, source "
                     + "FROM devices ORDER BY device_id")) {
            while (r.next()) {
                all.add(new RegisteredDevice(r.getString(1), r.getString(2), Instant.parse(r.getString(3)),
                        instant(r.getString(4)), instant(r.getString(5)), r.getString(6)));
            }
            return all;
        } catch (SQLException e) {
            throw failure("list devices", e);
        }
    }

    /**
     * Merges the YAML {@code devices:} list in, in one transaction: new entries are added; an
     * entry whose token or school changed is updated (the file is what the operator says now);
     * devices that came from the file and are no longer in it are revoked, as leaving them out
     * of the file always meant. A revoked device stays revoked even if the file lists it.
     *
     * @throws DeviceStoreException if an entry's token is another device's
     */
    public synchronized void importConfigured(List<DataCenterConfig.DeviceEntry> entries, Instant now) {
        Map<String, DataCenterConfig.DeviceEntry> byId = new HashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        try {
            Connection c = db();
            c.setAutoCommit(false);
            try {
                for (DataCenterConfig.DeviceEntry e : entries) {
                    importOne(e, now);
                }
                for (RegisteredDevice d : list()) {
                    if (CONFIG.equals(d.source()) && !byId.containsKey(d.id()) && d.revokedAt().isEmpty()) {
                        revoke(d.id(), now);
                        LOG.warn("datacenter: device {} is no longer in the configuration's devices: list; its token is revoked", d.id());
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("import the configured devices", e);
        }
    }

    private void importOne(DataCenterConfig.DeviceEntry e, Instant now) throws SQLException {
        String hash = e.token().hex();
        Optional<String> owner = ownerOf(hash);
        if (owner.isPresent() && !owner.get().equals(e.id())) {
            throw new DeviceStoreException("devices: the token of " + e.id() + " is already the token of device "
                    + owner.get() + " in " + where + "; every device needs its own", null);
        }
        Optional<Row> existing = find(e.id());
        if (existing.isEmpty()) {
            try (PreparedStatement p = db().prepareStatement(
                    "INSERT INTO devices (device_id, school, token_hash, created_at, source) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, e.id());
                p.setString(2, e.school());
                p.setString(3, hash);
                p.setString(4, now.toString());
                p.setString(5, CONFIG);
                p.executeUpdate();
            }
            return;
        }
        Row row = existing.get();
        if (row.device().revoked()) {
            LOG.warn("datacenter: device {} is listed in the configuration but was revoked on {}; it stays revoked",
                    e.id(), row.device().revokedAt().get());
            return;
        }
        if (!row.hash().equals(hash) || !row.device().school().equals(e.school())) {
            if (!row.hash().equals(hash)) {
                LOG.info("datacenter: device {}: the configuration gives it a new token", e.id());
            }
            try (PreparedStatement p = db().prepareStatement(
                    "UPDATE devices SET school = ?, token_hash = ?, source = ? WHERE device_id = ?")) {
                p.setString(1, e.school());
                p.setString(2, hash);
                p.setString(3, CONFIG);
                p.setString(4, e.id());
                p.executeUpdate();
            }
        }
    }

    @Override
    public synchronized Optional<Device> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement p = db().prepareStatement(
                "SELECT device_id, school, revoked_at FROM devices WHERE token_hash = ?")) {
            p.setString(1, TokenHash.of(bearerToken).hex());
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(new Device(r.getString(1), r.getString(2), instant(r.getString(3)))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up a token", e);
        }
    }

    @Override
    public synchronized int size() {
        try (Statement s = db().createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure("count devices", e);
        }
    }

    /**
     * Records the contact, at most once a minute per device: a write per request would cost more
     * than the request. The time is for operators only, so a failed write is logged (rate-limited)
     * and the request goes on.
     */
    @Override
    public void contacted(Device device, Instant at) {
        Instant written = contactWritten.get(device.id());
        if (written != null && Duration.between(written, at).compareTo(CONTACT_WRITE_INTERVAL) < 0) {
            return;
        }
        contactWritten.put(device.id(), at);
        synchronized (this) {
            try (PreparedStatement p = db().prepareStatement("UPDATE devices SET last_contact = ? WHERE device_id = ?")) {
                p.setString(1, at.toString());
                p.setString(2, device.id());
                p.executeUpdate();
            } catch (SQLException e) {
                contactLog.acquire().ifPresent(n -> LOG.warn("datacenter: {} ({} similar suppressed)",
                        failure("record the contact of device " + device.id(), e).getMessage(), n));
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("datacenter: closing the device registry {} failed: {}", where, e.getMessage());
        }
    }

    private record Row(Device device, String hash) {
    }

    private Optional<Row> find(String id) throws SQLException {
        try (PreparedStatement p = db().prepareStatement(
                "SELECT device_id, school, revoked_at, token_hash FROM devices WHERE device_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next()
                        ? Optional.of(new Row(new Device(r.getString(1), r.getString(2), instant(r.getString(3))), r.getString(4)))
                        : Optional.empty();
            }
        }
    }

    private Optional<String> ownerOf(String hash) throws SQLException {
        try (PreparedStatement p = db().prepareStatement("SELECT device_id FROM devices WHERE token_hash = ?")) {
            p.setString(1, hash);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Instant> instant(String text) {
        return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
    }

    /**
     * The error for a failed statement; if the connection itself broke (a PostgreSQL restart), it
     * is dropped so the next call opens a fresh one.
     */
    private DeviceStoreException failure(String what, SQLException e) {
        synchronized (this) {
            try {
                if (!db.isClosed() && !db.isValid(2)) {
                    db.close();
                }
            } catch (SQLException broken) {
                e.addSuppressed(broken);
            }
        }
        return new DeviceStoreException("device registry " + where + ": cannot " + what + ": " + e.getMessage(), e);
    }

    /** The connection, reopened if a failure closed it. */
    private Connection db() throws SQLException {
        if (db.isClosed()) {
            db = opener.open();
        }
        return db;
    }
}
