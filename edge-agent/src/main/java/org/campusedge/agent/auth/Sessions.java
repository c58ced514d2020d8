package org.campusedge.agent.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log-in sessions, in memory (a restart logs everyone out). An id is 256 random bits from
 * {@link SecureRandom}, base64url; a session ends after {@code idle} without a request or
 * {@code absolute} after its log-in, whichever comes first, or at log-out. Each session has its
 * own CSRF token, which the dashboard sends back in a header with every state-changing request.
 *
 * <p>Thread-safe: a concurrent map read and written by the HTTP server's workers; expired
 * sessions are dropped when met and swept whenever a session is created.
 */
public final class Sessions {

    /** Beyond this many live sessions a new log-in is refused (rate limiting keeps honest use far below). */
    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final Map<String, Session> byId = new ConcurrentHashMap<>();

    /** One logged-in browser. {@code lastSeen} moves with each request. */
    public static final class Session {
        private final String id;
        private final String user;
        private final Role role;
        private final String csrfToken;
        private final Instant created;
        private volatile Instant lastSeen;

        Session(String id, String user, Role role, String csrfToken, Instant created) {
            this.id = id;
            this.user = user;
            this.role = role;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastSeen = created;
        }

        public String id() {
            return id;
        }

        public String user() {
            return user;
        }

        public Role role() {
            return role;
        }

        public String csrfToken() {
            return csrfToken;
        }

        /** Whether {@code presented} is this session's CSRF token; compares in constant time. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() {
            return "Session[" + user + ", " + role.wireName() + "]";
        }
    }

    public Sessions(Clock clock, Duration idle, Duration absolute) {
        if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
            throw new IllegalArgumentException("idle must be positive and at most absolute, got " + idle + " and " + absolute);
        }
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** How long a session may last at most: the cookie's {@code Max-Age}. */
    public Duration absolute() {
        return absolute;
    }

    /**
     * A new session for {@code user}.
     *
     * @throws IllegalStateException if {@link #MAX_SESSIONS} sessions are live
     */
    public Session create(String user, Role role) {
        Instant now = clock.instant();
        sweep(now);
        if (byId.size() >= MAX_SESSIONS) {
            throw new IllegalStateException("too many sessions are open (" + byId.size() + ")");
        }
        Session s = new Session(randomId(), user, role, randomId(), now);
        byId.put(s.id, s);
        return s;
    }

    /** The live session with {@code id}, its idle clock restarted; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byId.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /**
     * Whether the session with {@code id} is live, without restarting its idle clock: for an
     * open event stream, which is not the user doing anything.
     */
    public boolean alive(String id) {
        Session s = id == null ? null : byId.get(id);
        return s != null && !expired(s, clock.instant());
    }

    /** Ends the session with {@code id}; true if there was one. */
    public boolean remove(String id) {
        return id != null && byId.remove(id) != null;
    }

    /** Sessions in the map, expired ones not yet swept included. */
    public int size() {
        return byId.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(idle)) || !now.isBefore(s.created.plus(absolute));
    }

    private void sweep(Instant now) {
        byId.values().removeIf(s -> expired(s, now));
    }

    /** 256 random bits, base64url without padding (43 characters). */
    static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
