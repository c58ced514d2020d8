package org.campusedge.agent.broker;

import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.sync.runtime.NamedThreadFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks CONNECT credentials against the configured users on its own thread
 * ({@code mqtt-broker-auth-0}): PBKDF2 takes from a tenth of a second to over a second on a
 * Raspberry Pi, which must not stall the event loop every other client is served on. At most
 * {@value #QUEUE} checks wait; past that a CONNECT is refused with "server unavailable".
 *
 * <p>Sensors reconnect with the same password again and again (after every Wi-Fi hiccup, all at
 * once after a broker restart), so after a password passes PBKDF2 its salted SHA-256 is kept per
 * user and the next connect with that password is checked against it, in constant time. A wrong
 * password always goes through PBKDF2.
 *
 * <p>{@link #check} may be called from any thread; the checks and the cache belong to the
 * authentication thread, which also runs the callback.
 */
final class BrokerAuthenticator {

    private static final int QUEUE = 64;

    private final Map<String, PasswordHash> users;
    private final NamedThreadFactory threads;
    private final ThreadPoolExecutor executor;
    /** User name to SHA-256(salt + password) of the last password that passed PBKDF2. Auth thread only. */
    private final Map<String, byte[]> verified = new HashMap<>();
    private final byte[] salt = new byte[16];

    BrokerAuthenticator(String name, Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
        this.threads = new NamedThreadFactory(name + "-auth", true);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), threads);
        new SecureRandom().nextBytes(salt);
    }

    /** Whether clients must present a user name and password (some users are configured). */
    boolean required() {
        return !users.isEmpty();
    }

    /**
     * Checks a user name and password (MQTT sends the password as bytes, section 3.1.3.5; they are
     * read as UTF-8) and passes the verdict to {@code verdict}.
     *
     * @throws java.util.concurrent.RejectedExecutionException if too many checks are waiting
     */
    void check(String user, byte[] password, Consumer<Boolean> verdict) {
        byte[] copy = password == null ? new byte[0] : password.clone();
        executor.execute(() -> {
            try {
                verdict.accept(verify(user, copy));
            } finally {
                Arrays.fill(copy, (byte) 0);
            }
        });
    }

    private boolean verify(String user, byte[] password) {
        PasswordHash hash = users.get(user);
        if (hash == null) {
            return false;
        }
        byte[] quick = quickHash(password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, quick)) {
            return true;
        }
        char[] chars = toChars(password);
        try {
            if (!hash.matches(chars)) {
                return false;
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
        verified.put(user, quick);
        return true;
    }

    private byte[] quickHash(byte[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static char[] toChars(byte[] utf8) {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        Arrays.fill(decoded.array(), '\0');
        return chars;
    }

    /** Stops the authentication thread and waits for it to end. */
    void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        threads.joinAll(Duration.ofSeconds(5));
    }
}
