package org.campusedge.agent.config;

import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.AuthConfig;
import org.campusedge.agent.auth.BearerToken;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.sync.center.TokenHash;
import org.campusedge.sync.config.ConfigException;
import org.campusedge.sync.config.ConfigNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the {@code http:} section: where to listen, and who may use the API and dashboard. */
final class HttpConfigLoader {

    /** Token names are unique; the operator token takes this one. */
    static final String OPERATOR = "operator";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private HttpConfigLoader() {
    }

    static HttpConfig read(ConfigNode http, Path baseDir) throws ConfigException {
        List<String> bind = http.stringList("bind", List.of("localhost"));
        int port = http.integer("port", 8080, 0, 65535);
        List<Account> accounts = List.of();
        if (http.has("users-file")) {
            Path file = baseDir.resolve(http.requiredString("users-file")).normalize();
            try {
                accounts = UsersFile.read(file);
            } catch (UsersFile.UsersFileException e) {
                throw http.error("users-file", e.getMessage());
            }
        }
        List<BearerToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode t : http.sections("tokens")) {
            String name = t.requiredString("name");
            try {
                Account.checkName(name);
            } catch (IllegalArgumentException e) {
                throw t.error("name", e.getMessage());
            }
            if (name.equals(OPERATOR) && http.has("operator-token-file") || !names.add(name)) {
                throw t.error("name", "token name \"" + name + "\" is used twice");
            }
            String r = t.requiredString("role");
            Role role = Role.ofWireName(r).orElseThrow(() -> t.error("role", "must be one of " + Role.names() + ", got \"" + r + "\""));
            tokens.add(new BearerToken(name, role, token(t, "token-file", baseDir)));
            t.rejectUnknownKeys();
        }
        if (http.has("operator-token-file")) {
            tokens.add(new BearerToken(OPERATOR, Role.MANAGER, token(http, "operator-token-file", baseDir)));
        }
        AuthConfig.MetricsAccess metrics = http.enumValue("metrics", AuthConfig.MetricsAccess.class,
                AuthConfig.MetricsAccess.AUTHENTICATED);
        Duration idle = http.duration("session-idle", AuthConfig.DEFAULT_IDLE, Duration.ofMinutes(1), Duration.ofDays(1));
        Duration max = http.duration("session-max", AuthConfig.DEFAULT_MAX, Duration.ofMinutes(1), Duration.ofDays(30));
        if (max.compareTo(idle) < 0) {
            throw http.error("session-max", "must be at least session-idle (" + idle + "), got " + max);
        }
        boolean secureCookie = http.bool("secure-cookie", false);
        AuthConfig auth = new AuthConfig(accounts, tokens, metrics, idle, max, secureCookie);
        if (!auth.hasCredentials()) {
            for (String host : bind) {
                if (!LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
                    throw http.error("bind", "listening beyond localhost (" + host + ") needs accounts: set users-file "
                            + "(campus-edge users add) or tokens; without them the agent serves this machine only");
                }
            }
        }
        Duration liveEvery = http.duration("live-update-every", HttpConfig.DEFAULT_LIVE_UPDATE_EVERY, Duration.ofMillis(20),
                Duration.ofSeconds(10));
        return new HttpConfig(bind, port, auth, liveEvery);
    }

    /** A token's hash from a file holding it; the token itself is not kept. */
    private static TokenHash token(ConfigNode n, String key, Path baseDir) throws ConfigException {
        Path path = baseDir.resolve(n.requiredString(key)).normalize();
        String token;
        try {
            token = Files.readString(path).trim();
        } catch (IOException e) {
            throw n.error(key, "cannot read " + path + ": " + e.getMessage());
        }
        if (token.length() < 16) {
            throw n.error(key, path + " must hold a token of at least 16 characters");
        }
        return TokenHash.of(token);
    }
}
