package org.campusedge.bridge.serial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pseudo-terminal pair made by {@code socat}: two device paths (symbolic links to
 * {@code /dev/pts/N}) wired back to back, so a driver can open one end through jssc exactly as
 * it would a USB-serial adapter while a simulator writes the other. Used by the demo and the
 * integration tests. {@link #close()} kills socat, which makes both ends vanish — the same thing
 * a driver sees when a reader is unplugged. Opening again with the same paths "replugs" it.
 *
 * <p>Thread-safe; owns one child process, which {@link #close()} always ends.
 */
public final class PtyPair implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PtyPair.class);
    private static final Duration STARTUP = Duration.ofSeconds(5);

    /** socat processes still running, ended by a JVM shutdown hook if their owner never closed them. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread reaper = new Thread(() -> LIVE.forEach(Process::destroy), "pty-pair-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    private final Path first;
    private final Path second;
    private final Process socat;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PtyPair(Path first, Path second, Process socat) {
        this.first = first;
        this.second = second;
        this.socat = socat;
    }

    /** Whether a {@code socat} executable is on the PATH. */
    public static boolean isSocatAvailable() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts socat with raw, no-echo ptys linked at {@code first} and {@code second} and waits until
     * both links exist.
     */
    public static PtyPair open(Path first, Path second) throws IOException {
        if (!isSocatAvailable()) {
            throw new IOException("socat is not installed (apt install socat)");
        }
        Files.deleteIfExists(first);
        Files.deleteIfExists(second);
        Process p = new ProcessBuilder(List.of("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + first.toAbsolutePath(),
                "pty,raw,echo=0,link=" + second.toAbsolutePath()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        LIVE.add(p);
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!(Files.exists(first) && Files.exists(second))) {
            if (!p.isAlive()) {
                LIVE.remove(p);
                throw new IOException("socat exited with " + p.exitValue() + " before creating " + first + " and " + second);
            }
            if (System.nanoTime() > deadline) {
                LIVE.remove(p);
                p.destroyForcibly();
                throw new IOException("socat did not create " + first + " and " + second + " within " + STARTUP.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LIVE.remove(p);
                p.destroyForcibly();
                throw new IOException("interrupted while starting socat", e);
            }
        }
        return new PtyPair(first, second, p);
    }

    public Path first() {
        return first;
    }

    public Path second() {
        return second;
    }

    public boolean isAlive() {
        return socat.isAlive();
    }

    /** The socat process id, for logs. */
    public long pid() {
        return socat.pid();
    }

    /**
     * Stops socat (SIGTERM, then SIGKILL after 2 s) and waits for it; both device paths disappear
     * (socat removes its links on exit; links left by a killed socat are deleted here). Idempotent:
     * a second call does not touch the paths, which a newer pair may own by then.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
                socat.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socat.destroyForcibly();
        }
        LIVE.remove(socat);
        deleteLink(first);
        deleteLink(second);
    }

    private static void deleteLink(Path link) {
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            // A stale link is harmless: open() deletes it before starting socat again.
            LOG.debug("cannot delete {}: {}", link, e.toString());
        }
    }
}
