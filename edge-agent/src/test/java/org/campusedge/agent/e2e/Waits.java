package org.campusedge.agent.e2e;

import org.campusedge.agent.journal.EventQuery;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEvent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes (tests wait for effects, never sleep blindly). */
final class Waits {

    private Waits() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until at least {@code count} events of {@code type} are in the journal and its
     * in-memory {@link Journal#lastSeq} has caught up with them (it moves just after the commit
     * makes the rows visible), and returns them newest first.
     */
    static List<JournalEvent> committed(Journal journal, String type, int count) throws InterruptedException {
        AtomicReference<List<JournalEvent>> found = new AtomicReference<>(List.of());
        until(count + " " + type + " events committed", Duration.ofSeconds(15), () -> {
            List<JournalEvent> events = journal.query(new EventQuery(Optional.empty(), Optional.of(type), Optional.empty(),
                    Optional.empty(), EventQuery.MAX_LIMIT));
            found.set(events);
            return events.size() >= count && events.stream()
                    .allMatch(e -> journal.lastSeq(e.stream().wireName()) >= e.seq());
        });
        return found.get();
    }
}
