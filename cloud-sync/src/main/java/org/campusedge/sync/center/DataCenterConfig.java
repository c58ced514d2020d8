package org.campusedge.sync.center;

import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;
import org.campusedge.sync.http.ServerTls;
import org.campusedge.sync.http.TlsSetupException;
import org.campusedge.sync.wire.IngestBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data center's configuration, read from YAML (every key is documented in
 * {@code datacenter.example.yaml} next to this class):
 *
 * <pre>{@code
 * http:
 *   bind: [localhost]        # default [localhost]; "*" for every interface
 *   port: 8090               # default 8090
 *   max-body: 8MiB           # default 8 MiB; bytes, or a number with KiB / MiB
 *   tls:                     # default: none (plain HTTP)
 *     certificate: cert.pem  # PEM chain, server certificate first
 *     key: key.pem           # unencrypted PKCS#8 PEM key, RSA or EC
 *   rate-limit:
 *     requests-per-second: 20   # per device, default 20
 *     burst: 100                # default 100
 * storage:
 *   type: sqlite             # default sqlite; or postgresql
 *   path: datacenter.db      # sqlite: default datacenter.db next to this file
 *   url: jdbc:postgresql://127.0.0.1:5432/campusedge   # postgresql: required
 *   user: campusedge         # postgresql: required
 *   password-file: pg.pass   # postgresql: optional, relative to this file
 *   connections: 8           # postgresql: default 8
 * registry:
 *   path: datacenter-devices.db   # sqlite only; default: next to storage.path, named after it
 *                                 # (PostgreSQL: the devices table of the storage database)
 * downlink:
 *   path: datacenter-downlink.db  # sqlite: default next to the registry, named after it
 *   admin-token-file: admin.token # the management endpoints' bearer token; none: management over HTTP is off
 *   max-wait: 30s            # longest long-poll a box may ask for (wait=), default 30s
 *   max-parked-polls: 10000  # long-polls held at once (each holds no thread); beyond: 503, default 10000
 *   keep-removed: 90d        # removals are kept this long for deltas; older boxes get a snapshot
 * devices:
 *   - id: school-042-box-1
 *     school: Riverside Primary
 *     token: 7f3c...         # at least 16 characters; kept only as a SHA-256 hash
 * queries:                   # city-wide queries under /v1/ (devices, events, usage report)
 *   readers:                 # default: none, every query is refused
 *     - name: city-bureau
 *       token: 9a1e...       # at least 16 characters, not a device's; kept only as a SHA-256 hash
 *   zone: Asia/Shanghai      # default UTC; days, weeks, months and terms are cut in it
 *   terms:                   # for period=term; in date order, not overlapping
 *     - {name: 2026-autumn, from: 2026-09-01, to: 2027-01-24}
 *   max-range-days: 400      # default 400
 *   max-page: 1000           # default 1000, events per page of /v1/events
 * }</pre>
 *
 * @param http    the HTTP listener
 * @param storage where events are kept
 * @param devices the boxes allowed to upload, listed in the file (merged into the registry at start)
 * @param registry the device registry's database
 * @param queries  who may run city-wide queries and reports, and how periods are cut
 * @param downlink what the boxes are sent: where it is kept, who manages it
 */
public record DataCenterConfig(Http http, Storage storage, List<DeviceEntry> devices, Registry registry, Queries queries,
                               Downlink downlink) {

    public static final int DEFAULT_PORT = 8090;
    public static final int DEFAULT_MAX_BODY = 8 * 1024 * 1024;
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(20, 100);
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|k|m|kb|mb)?");

    public DataCenterConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        devices = List.copyOf(devices);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(downlink, "downlink");
    }

    /** No query readers (the city-wide queries answer 401 to everyone); the downlink store beside the registry, management over HTTP off. */
    public DataCenterConfig(Http http, Storage storage, List<DeviceEntry> devices, Registry registry) {
        this(http, storage, devices, registry, Queries.NONE, Downlink.beside(registry));
    }

    /** These query readers; the downlink store beside the registry, management over HTTP off. */
    public DataCenterConfig(Http http, Storage storage, List<DeviceEntry> devices, Registry registry, Queries queries) {
        this(http, storage, devices, registry, queries, Downlink.beside(registry));
    }

    /** No query readers; this downlink. */
    public DataCenterConfig(Http http, Storage storage, List<DeviceEntry> devices, Registry registry, Downlink downlink) {
        this(http, storage, devices, registry, Queries.NONE, downlink);
    }

    /**
     * @param path        the SQLite file of the downlink (with {@code storage.type: sqlite})
     * @param adminToken  hash of the management endpoints' bearer token; empty: they answer 403
     * @param maxWait     the longest long-poll a box may ask for
     * @param keepRemoved how long removals are kept for deltas
     * @param maxParkedPolls how many long-polls may wait at once; one more is answered 503
     */
    public record Downlink(Path path, Optional<TokenHash> adminToken, java.time.Duration maxWait, java.time.Duration keepRemoved,
                           int maxParkedPolls) {
        public static final java.time.Duration DEFAULT_MAX_WAIT = java.time.Duration.ofSeconds(30);
        public static final java.time.Duration DEFAULT_KEEP_REMOVED = java.time.Duration.ofDays(90);
        public static final int DEFAULT_MAX_PARKED_POLLS = 10_000;

        public Downlink {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(adminToken, "adminToken");
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(keepRemoved, "keepRemoved");
            if (maxParkedPolls < 0) {
                throw new IllegalArgumentException("maxParkedPolls must not be negative, got " + maxParkedPolls);
            }
        }

        /** With the default cap on parked long-polls. */
        public Downlink(Path path, Optional<TokenHash> adminToken, java.time.Duration maxWait, java.time.Duration keepRemoved) {
            this(path, adminToken, maxWait, keepRemoved, DEFAULT_MAX_PARKED_POLLS);
        }

        public Downlink withMaxParkedPolls(int max) {
            return new Downlink(path, adminToken, maxWait, keepRemoved, max);
        }

        /** {@code <registry name without -devices.db>-downlink.db} beside the registry, defaults otherwise. */
        static Downlink beside(Registry registry) {
            String name = registry.path().getFileName().toString();
            String stem = name.endsWith("-devices.db") ? name.substring(0, name.length() - 11)
                    : name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
            return new Downlink(registry.path().resolveSibling(stem + "-downlink.db"), Optional.empty(), DEFAULT_MAX_WAIT,
                    DEFAULT_KEEP_REMOVED);
        }

        public Downlink withAdminToken(String token) {
            return new Downlink(path, Optional.of(TokenHash.of(token)), maxWait, keepRemoved, maxParkedPolls);
        }
    }

    public DataCenterConfig withDownlink(Downlink d) {
        return new DataCenterConfig(http, storage, devices, registry, queries, d);
    }

    /** The registry beside the storage file, named after it ({@code datacenter.db} → {@code datacenter-devices.db}). */
    public DataCenterConfig(Http http, Storage storage, List<DeviceEntry> devices) {
        this(http, storage, devices, Registry.beside(requireFile(storage)));
    }

    /**
     * @param bind         addresses to listen on
     * @param port         TCP port, 0 for any free one
     * @param maxBodyBytes largest accepted request body, after gunzip
     * @param tls          certificate and key for HTTPS; empty for plain HTTP
     * @param rateLimit    requests each device may make
     */
    public record Http(List<String> bind, int port, int maxBodyBytes, Optional<Tls> tls, RateLimit rateLimit) {
        public Http {
            bind = List.copyOf(bind);
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(rateLimit, "rateLimit");
        }

        /** Plain HTTP with the default rate limit. */
        public Http(List<String> bind, int port, int maxBodyBytes) {
            this(bind, port, maxBodyBytes, Optional.empty(), DEFAULT_RATE_LIMIT);
        }

        public Http withTls(Tls t) {
            return new Http(bind, port, maxBodyBytes, Optional.of(t), rateLimit);
        }

        public Http withRateLimit(RateLimit limit) {
            return new Http(bind, port, maxBodyBytes, tls, limit);
        }
    }

    /**
     * @param certificate PEM certificate chain, server certificate first
     * @param key         the certificate's unencrypted PKCS#8 PEM private key
     */
    public record Tls(Path certificate, Path key) {
        public Tls {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A token bucket per device; beyond it requests are answered 429 with {@code Retry-After}.
     *
     * @param requestsPerSecond average requests per second, > 0
     * @param burst             requests at once, >= 1
     */
    public record RateLimit(double requestsPerSecond, int burst) {
        public RateLimit {
            if (!(requestsPerSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("need requestsPerSecond > 0 and burst >= 1, got "
                        + requestsPerSecond + " and " + burst);
            }
        }
    }

    /** @param path the SQLite file of the device registry (table {@code devices}) */
    public record Registry(Path path) {
        public Registry {
            Objects.requireNonNull(path, "path");
        }

        /** {@code <storage name without .db>-devices.db} in the folder of {@code storage}. */
        static Registry beside(Path storage) {
            String name = storage.getFileName().toString();
            String stem = name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
            return new Registry(storage.resolveSibling(stem + "-devices.db"));
        }
    }

    private static Path requireFile(Storage storage) {
        if (storage.type() != Storage.Type.SQLITE) {
            throw new IllegalArgumentException("with PostgreSQL storage, name the device registry's file (the 4-argument constructor)");
        }
        return storage.path();
    }

    public DataCenterConfig withHttp(Http h) {
        return new DataCenterConfig(h, storage, devices, registry, queries, downlink);
    }

    public DataCenterConfig withQueries(Queries q) {
        return new DataCenterConfig(http, storage, devices, registry, q, downlink);
    }

    /**
     * The city-wide queries under {@code /v1/} (devices, events, usage report).
     *
     * @param readers      who may run them (the bureau, city IT), each with its own bearer token
     * @param zone         the city's time zone: weeks, months, terms and dates in query parameters are cut in it
     * @param terms        school terms, for {@code period=term}, in date order, not overlapping
     * @param maxRangeDays the longest time range one query may span
     * @param maxPage      the most events one page of {@code /v1/events} returns
     */
    public record Queries(List<Reader> readers, java.time.ZoneId zone, List<Term> terms, int maxRangeDays, int maxPage) {

        public static final int DEFAULT_MAX_RANGE_DAYS = 400;
        public static final int DEFAULT_MAX_PAGE = 1_000;
        public static final Queries NONE = new Queries(List.of(), java.time.ZoneOffset.UTC, List.of(), DEFAULT_MAX_RANGE_DAYS,
                DEFAULT_MAX_PAGE);

        public Queries {
            readers = List.copyOf(readers);
            Objects.requireNonNull(zone, "zone");
            terms = List.copyOf(terms);
        }

        /**
         * The reader whose token this is. The token is hashed once and compared with every
         * reader's hash in constant time, without stopping at a match (as {@link ConfiguredDeviceRegistry}).
         */
        public Optional<Reader> reader(String bearerToken) {
            if (bearerToken == null || bearerToken.isEmpty()) {
                return Optional.empty();
            }
            byte[] digest = TokenHash.sha256(bearerToken);
            Reader found = null;
            for (Reader r : readers) {
                if (r.token().matchesDigest(digest) && found == null) {
                    found = r;
                }
            }
            return Optional.ofNullable(found);
        }

        /** These readers, defaults for the rest. */
        public static Queries of(java.time.ZoneId zone, List<Term> terms, Reader... readers) {
            return new Queries(List.of(readers), zone, terms, DEFAULT_MAX_RANGE_DAYS, DEFAULT_MAX_PAGE);
        }
    }

    /**
     * @param name  who this is, for logs (e.g. {@code city-bureau})
     * @param token hash of the reader's bearer token
     */
    public record Reader(String name, TokenHash token) {
        public static Reader withToken(String name, String token) {
            return new Reader(name, TokenHash.of(token));
        }
    }

    /**
     * A school term: {@code from} and {@code to} are both days of the term.
     *
     * @param name the term's name in reports, e.g. {@code 2026-autumn}
     */
    public record Term(String name, java.time.LocalDate from, java.time.LocalDate to) {
        public Term {
            Objects.requireNonNull(name, "name");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("term " + name + " ends (" + to + ") before it starts (" + from + ")");
            }
        }
    }

    /**
     * Where events are kept: an embedded SQLite file (the default) or a PostgreSQL database.
     *
     * @param type     which store
     * @param path     the SQLite database file; null for PostgreSQL
     * @param postgres the PostgreSQL connection; null for SQLite
     */
    public record Storage(Type type, Path path, Postgres postgres) {

        /** The store kinds, as written in {@code storage.type}. */
        public enum Type { SQLITE, POSTGRESQL }

        public Storage {
            Objects.requireNonNull(type, "type");
            if (type == Type.SQLITE) {
                Objects.requireNonNull(path, "path");
            } else {
                Objects.requireNonNull(postgres, "postgres");
            }
        }

        /** SQLite in {@code path}. */
        public Storage(Path path) {
            this(Type.SQLITE, path, null);
        }

        /** PostgreSQL as {@code postgres} says. */
        public static Storage postgresql(Postgres postgres) {
            return new Storage(Type.POSTGRESQL, null, postgres);
        }

        /** For logs: the store kind and where it is, never a password. */
        public String describe() {
            return type == Type.SQLITE ? "SQLite " + path : "PostgreSQL " + postgres.urlWithoutParameters();
        }
    }

    /**
     * @param url          {@code jdbc:postgresql://host:port/database}
     * @param user         the database role
     * @param passwordFile a file holding the role's password; null for trust or peer authentication
     * @param connections  connections to the database, the most transactions at once
     */
    public record Postgres(String url, String user, Path passwordFile, int connections) {
        public Postgres {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
        }

        /** The password from {@link #passwordFile()}, stripped; null when there is no file. */
        public String password() throws java.io.IOException {
            return passwordFile == null ? null : Files.readString(passwordFile).strip();
        }

        /** The URL without its query parameters, which may carry a password. */
        public String urlWithoutParameters() {
            return withoutParameters(url);
        }
    }

    /**
     * @param id     device id
     * @param school the school, for reports
     * @param token  hash of the device's bearer token
     */
    public record DeviceEntry(String id, String school, TokenHash token) {
        /** Hashes {@code token} at once; the plain token is not kept. */
        public static DeviceEntry withToken(String id, String school, String token) {
            return new DeviceEntry(id, school, TokenHash.of(token));
        }
    }

    /** Reads and validates a YAML file; errors name the key, e.g. {@code devices[2].token: is required}. */
    public static DataCenterConfig load(Path file) throws ConfigException {
        return from(ConfigNode.parse(file), file.toAbsolutePath().getParent());
    }

    /** Reads YAML text; {@code source} names it in errors; relative paths resolve against the working folder. */
    public static DataCenterConfig parse(String yaml, String source) throws ConfigException {
        return from(ConfigNode.parse(yaml, source), Path.of("").toAbsolutePath());
    }

    /** Defaults for everything, listening on {@code localhost} at {@code port}, storing in {@code database}. */
    public static DataCenterConfig of(int port, Path database, List<DeviceEntry> devices) {
        return new DataCenterConfig(new Http(List.of("localhost"), port, DEFAULT_MAX_BODY), new Storage(database), devices);
    }

    /** Relative paths (storage.path) resolve against {@code baseDir}, the folder of the file. */
    private static DataCenterConfig from(ConfigNode root, Path baseDir) throws ConfigException {
        ConfigNode h = root.section("http");
        List<String> bind = h.stringList("bind", List.of("localhost"));
        if (bind.isEmpty()) {
            throw h.error("bind", "must list at least one address");
        }
        Http http = new Http(bind, h.integer("port", DEFAULT_PORT, 0, 65_535), size(h, "max-body", DEFAULT_MAX_BODY),
                tls(h, baseDir), rateLimit(h));
        Storage storage = storage(root.section("storage"), baseDir);
        Optional<String> registryPath = root.section("registry").optionalString("path");
        if (registryPath.isPresent() && storage.type() == Storage.Type.POSTGRESQL) {
            throw root.section("registry").error("path", "applies to storage type sqlite only (with postgresql the registry is "
                    + "the devices table of the storage database)");
        }
        Registry registry = registryPath.isPresent()
                ? new Registry(baseDir.resolve(registryPath.get()).normalize())
                : storage.type() == Storage.Type.SQLITE ? Registry.beside(storage.path())
                : new Registry(baseDir.resolve("datacenter-devices.db").normalize());
        List<DeviceEntry> devices = new ArrayList<>();
        Map<String, String> idPaths = new HashMap<>();
        Map<TokenHash, String> tokenOwners = new HashMap<>();
        for (ConfigNode d : root.sections("devices")) {
            String id = d.requiredString("id");
            if (!IngestBatch.DEVICE_ID.matcher(id).matches()) {
                throw d.error("id", "must be letters, digits, '.', '_' or '-' (at most 64), got \"" + id + "\"");
            }
            if (idPaths.putIfAbsent(id, d.path()) != null) {
                throw d.error("id", "\"" + id + "\" is already used by " + idPaths.get(id));
            }
            String school = d.string("school", "");
            String token = d.requiredString("token");
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw d.error("token", "must be at least " + MIN_TOKEN_LENGTH + " characters (generate one with: openssl rand -hex 24)");
            }
            TokenHash hash = TokenHash.of(token);
            if (tokenOwners.putIfAbsent(hash, id) != null) {
                throw d.error("token", "is the same as the token of device " + tokenOwners.get(hash) + "; every device needs its own");
            }
            devices.add(new DeviceEntry(id, school, hash));
        }
        Queries queries = DataCenterQueriesConfig.read(root.section("queries"), tokenOwners.keySet());
        Downlink downlink = downlink(root.section("downlink"), baseDir, registry);
        root.rejectUnknownKeys();
        return new DataCenterConfig(http, storage, devices, registry, queries, downlink);
    }

    private static Downlink downlink(ConfigNode d, Path baseDir, Registry registry) throws ConfigException {
        Downlink defaults = Downlink.beside(registry);
        Path path = d.optionalString("path").map(p -> baseDir.resolve(p).normalize()).orElse(defaults.path());
        Optional<TokenHash> admin = Optional.empty();
        Optional<String> tokenFile = d.optionalString("admin-token-file");
        if (tokenFile.isPresent()) {
            Path f = baseDir.resolve(tokenFile.get()).normalize();
            String token;
            try {
                token = Files.readString(f).strip();
            } catch (java.io.IOException e) {
                throw d.error("admin-token-file", "cannot read " + f + ": " + e.getMessage());
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw d.error("admin-token-file", f + " must hold a token of at least " + MIN_TOKEN_LENGTH
                        + " characters (generate one with: openssl rand -hex 24)");
            }
            admin = Optional.of(TokenHash.of(token));
        }
        java.time.Duration maxWait = d.duration("max-wait", Downlink.DEFAULT_MAX_WAIT, java.time.Duration.ZERO,
                java.time.Duration.ofMinutes(5));
        java.time.Duration keep = d.duration("keep-removed", Downlink.DEFAULT_KEEP_REMOVED, java.time.Duration.ofHours(1),
                java.time.Duration.ofDays(3650));
        int parked = d.integer("max-parked-polls", Downlink.DEFAULT_MAX_PARKED_POLLS, 0, 1_000_000);
        return new Downlink(path, admin, maxWait, keep, parked);
    }

    /** Reads {@code http.tls}, and loads the files at once so a bad one fails here, naming the key. */
    private static Optional<Tls> tls(ConfigNode http, Path baseDir) throws ConfigException {
        if (!http.has("tls")) {
            return Optional.empty();
        }
        ConfigNode t = http.section("tls");
        Tls tls = new Tls(baseDir.resolve(t.requiredString("certificate")).normalize(),
                baseDir.resolve(t.requiredString("key")).normalize());
        try {
            ServerTls.load(tls.certificate(), tls.key());
        } catch (TlsSetupException e) {
            throw t.error(e.file().equals(tls.key()) ? "key" : "certificate", e.getMessage());
        }
        return Optional.of(tls);
    }

    private static RateLimit rateLimit(ConfigNode http) throws ConfigException {
        ConfigNode r = http.section("rate-limit");
        double perSecond = DEFAULT_RATE_LIMIT.requestsPerSecond();
        Optional<Double> given = r.decimal("requests-per-second");
        if (given.isPresent()) {
            perSecond = given.get();
            if (!(perSecond >= 0.01 && perSecond <= 100_000)) {
                throw r.error("requests-per-second", "must be between 0.01 and 100000, got " + perSecond);
            }
        }
        return new RateLimit(perSecond, r.integer("burst", DEFAULT_RATE_LIMIT.burst(), 1, 1_000_000));
    }

    private static final List<String> POSTGRES_KEYS = List.of("url", "user", "password-file", "connections");

    private static Storage storage(ConfigNode s, Path baseDir) throws ConfigException {
        Storage.Type type = s.enumValue("type", Storage.Type.class, Storage.Type.SQLITE);
        if (type == Storage.Type.SQLITE) {
            for (String key : POSTGRES_KEYS) {
                if (s.has(key)) {
                    throw s.error(key, "applies to type postgresql only (type is sqlite)");
                }
            }
            return new Storage(baseDir.resolve(s.string("path", "datacenter.db")).normalize());
        }
        if (s.has("path")) {
            throw s.error("path", "applies to type sqlite only (type is postgresql; the database is named by url)");
        }
        String url = s.requiredString("url");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw s.error("url", "must be a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/campusedge, got \""
                    + withoutParameters(url) + "\"");
        }
        String user = s.requiredString("user");
        Path passwordFile = null;
        String pf = s.string("password-file", null);
        if (pf != null) {
            passwordFile = baseDir.resolve(pf).normalize();
            if (!Files.isRegularFile(passwordFile) || !Files.isReadable(passwordFile)) {
                throw s.error("password-file", "cannot read " + passwordFile + " (a file holding only the password)");
            }
        }
        int connections = s.integer("connections", PostgresEventStore.DEFAULT_CONNECTIONS, 1, 200);
        return Storage.postgresql(new Postgres(url, user, passwordFile, connections));
    }

    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static int size(ConfigNode node, String key, int defaultValue) throws ConfigException {
        String text = node.string(key, null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        String problem = "must be a size in bytes such as 1048576, 512KiB or 8MiB (1 KiB..256 MiB), got \"" + text + "\"";
        if (!m.matches()) {
            throw node.error(key, problem);
        }
        long factor = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "k", "kb", "kib" -> 1024L;
            case "m", "mb", "mib" -> 1024L * 1024;
            default -> 1L;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw node.error(key, problem);
        }
        if (bytes < 1024 || bytes > 256L * 1024 * 1024) {
            throw node.error(key, problem);
        }
        return (int) bytes;
    }
}
