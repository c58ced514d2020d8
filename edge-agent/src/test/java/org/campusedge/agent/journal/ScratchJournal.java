package org.campusedge.agent.journal;

import org.campusedge.agent.config.StorageConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A journal in a scratch folder for one test, closed and deleted after it:
 * {@code @RegisterExtension final ScratchJournal scratch = new ScratchJournal();}. Opening again
 * closes the previous journal first, so a test can restart on the same file.
 */
public final class ScratchJournal implements AfterEachCallback {

    private Path dir;
    private Journal journal;

    /** The journal file (the same across reopens). */
    public Path file() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("scratch-journal");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve("journal.db");
    }

    /** Opens with no group-commit window, batches of 500, the system clock. */
    public Journal open() {
        return open(Clock.systemUTC(), Duration.ZERO, 500);
    }

    public Journal open(Clock clock, Duration window, int maxBatch) {
        closeJournal();
        journal = Journal.open(new StorageConfig(file(), StorageConfig.Durability.NORMAL, window, maxBatch), clock);
        return journal;
    }

    private void closeJournal() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        closeJournal();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
