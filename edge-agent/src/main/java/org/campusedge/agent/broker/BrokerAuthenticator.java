package org.campusedge.agent.broker;

import org.campusedge.sync.runtime.NamedThreadFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks CONNECT credentials against the configured users on its own thread
 * ({@code <name>-auth-0}): PBKDF2 takes tens to hundreds of milliseconds on a Raspberry Pi, which
 * must not stall the event loop every other client is served on. At most {@value #QUEUE}
 * checks wait; past that a CONNECT is refused with "server unavailable".
 *
 * <p>{@link #check} may be called from any thread; the callback runs on the authentication thread.
 */
final class BrokerAuthenticator {

    private static final int QUEUE = 64;

    private final Map<String, PasswordHash> users;
    private final NamedThreadFactory threads;
    private final ThreadPoolExecutor executor;

    BrokerAuthenticator(String name, Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
        this.threads = new NamedThreadFactory(name + "-auth", true);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), threads);
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
            PasswordHash hash = users.get(user);
            char[] chars = toChars(copy);
            try {
                verdict.accept(hash != null && hash.matches(chars));
            } finally {
                Arrays.fill(chars, '\0');
                Arrays.fill(copy, (byte) 0);
            }
        });
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
