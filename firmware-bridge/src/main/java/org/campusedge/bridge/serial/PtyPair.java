package org.campusedge.bridge.serial;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by {@code socat}: two device paths (symbolic links to
 * {@code /dev/pts/N}) wired back to back, so a driver can open one end through jssc exactly as
 * it would a USB-serial adapter while a simulator writes the other. Used by the demo and the
 * integration tests. {@link #close()} kills socat, which makes both ends vanish — the same thing
 * a driver sees when a reader is unplugged.
 */
public final class PtyPair implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(5);

    private final Path first;
    private final Path second;
    private final Process socat;

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
        Process p = new ProcessBuilder(List.of("socat", "-d",
                "pty,raw,echo=0,link=" + first.toAbsolutePath(),
                "pty,raw,echo=0,link=" + second.toAbsolutePath()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!(Files.exists(first) && Files.exists(second))) {
            if (!p.isAlive()) {
                throw new IOException("socat exited with " + p.exitValue() + " before creating " + first + " and " + second);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("socat did not create " + first + " and " + second + " within " + STARTUP.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    /** Kills socat and waits for it; both device paths disappear. Idempotent. */
    @Override
    public void close() {
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
    }
}
