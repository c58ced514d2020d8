package org.campusedge.agent.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing: failed log-ins are counted per client address and per account name
 * in fixed windows; once either count reaches its limit, log-ins from that address or for that
 * name are refused (429) until the window ends, even with the right password. A successful
 * log-in clears the account's count (not the address's: one valid account must not reset the
 * count of an address guessing others).
 *
 * <p>Thread-safe (concurrent maps, per-key atomic updates). Memory is bounded: expired windows
 * are swept when the maps grow past {@link #SWEEP_AT} (at most every 30 s), and past
 * {@link #MAX_KEYS} keys new failures count against one shared overflow key.
 */
public final class LoginLimiter {

    static final int SWEEP_AT = 1_000;
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
    static final int MAX_KEYS = 50_000;
    private static final String OVERFLOW = "\u0000overflow";

    private final Clock clock;
    private final Duration window;
    private final int perAddress;
    private final int perUser;
    private final Map<String, Window> addresses = new ConcurrentHashMap<>();
    private final Map<String, Window> users = new ConcurrentHashMap<>();
    /** When the maps may next be swept; a race between two workers costs one extra sweep at most. */
    private volatile Instant nextSweep = Instant.MIN;

    private record Window(Instant start, int failures) {
    }

    /**
     * @param window     how long failures are remembered (and a block lasts at most)
     * @param perAddress failures from one address within a window before it is blocked
     * @param perUser    failures for one account name within a window before it is blocked
     */
    public LoginLimiter(Clock clock, Duration window, int perAddress, int perUser) {
        if (perAddress < 1 || perUser < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limits and window must be positive");
        }
        this.clock = clock;
        this.window = window;
        this.perAddress = perAddress;
        this.perUser = perUser;
    }

    /** When log-ins from {@code address} or for {@code user} are blocked: how long until they may try again. */
    public Optional<Duration> blocked(String address, String user) {
        Instant now = clock.instant();
        Optional<Duration> a = blockedFor(addresses, address, perAddress, now);
        Optional<Duration> u = blockedFor(users, user, perUser, now);
        if (a.isPresent() && u.isPresent()) {
            return Optional.of(a.get().compareTo(u.get()) > 0 ? a.get() : u.get());
        }
        return a.isPresent() ? a : u;
    }

    /** Counts a failed log-in. */
    public void failed(String address, String user) {
        Instant now = clock.instant();
        count(addresses, address, now);
        count(users, user, now);
    }

    /** Clears the account's failures after a successful log-in. */
    public void succeeded(String user) {
        users.remove(user);
    }

    private Optional<Duration> blockedFor(Map<String, Window> map, String key, int limit, Instant now) {
        Window w = map.get(map.containsKey(key) ? key : OVERFLOW);
        if (w == null || w.failures < limit) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, w.start.plus(window));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    private void count(Map<String, Window> map, String key, Instant now) {
        // A sweep walks the whole map: at most one per SWEEP_EVERY, so a flood of names stays linear.
        if (map.size() >= SWEEP_AT && !now.isBefore(nextSweep)) {
            nextSweep = now.plus(SWEEP_EVERY);
            map.values().removeIf(w -> !now.isBefore(w.start.plus(window)));
        }
        String k = map.size() >= MAX_KEYS && !map.containsKey(key) ? OVERFLOW : key;
        map.merge(k, new Window(now, 1), (old, one) ->
                now.isBefore(old.start.plus(window)) ? new Window(old.start, old.failures + 1) : one);
    }
}
