package org.campusedge.bridge.serial;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A socat pseudo-terminal pair for each test, in a temporary folder:
 * {@code @RegisterExtension final PtyPairExtension pty = new PtyPairExtension("ttyReader", "ttyDevice");}.
 * The test is skipped when socat is missing; the pair is closed after it. {@link #unplug()} and
 * {@link #replug()} stop and start socat, as pulling a USB-serial adapter out and back in would.
 */
public final class PtyPairExtension implements BeforeEachCallback, AfterEachCallback {

    private final String firstName;
    private final String secondName;
    private Path dir;
    private Path first;
    private Path second;
    private PtyPair pair;

    /** @param firstName the file name of the end the code under test opens; {@code secondName} the other's */
    public PtyPairExtension(String firstName, String secondName) {
        this.firstName = firstName;
        this.secondName = secondName;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        assumeTrue(PtyPair.isSocatAvailable(), "socat is not installed");
        dir = Files.createTempDirectory("pty");
        first = dir.resolve(firstName);
        second = dir.resolve(secondName);
        pair = PtyPair.open(first, second);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        unplug();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The end the code under test opens (a reader driver, a host). */
    public Path first() {
        return first;
    }

    /** The other end (a simulated device). */
    public Path second() {
        return second;
    }

    /** Stops socat: both ends vanish. */
    public void unplug() {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    /** Starts socat again on the same two paths. */
    public void replug() throws IOException {
        unplug();
        pair = PtyPair.open(first, second);
    }
}
