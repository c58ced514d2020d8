package org.campusedge.agent.journal;

import org.campusedge.agent.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paging through {@link Journal#page(EventQuery)} with its cursor ("load older"), the {@code until}
 * and {@code card} filters, and that the indexed part reads the partial time and room indexes in
 * their own order (no sort).
 */
class EventPagingTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @RegisterExtension
    final ScratchJournal scratch = new ScratchJournal();

    /** 200 s of one reading a second, a tap every 10 s (card A or B, two rooms), some at the same instant. */
    private Journal school() {
        TestClock clock = new TestClock(T0);
        Journal journal = scratch.open(clock, java.time.Duration.ZERO, 500);
        for (int i = 0; i < 200; i++) {
            clock.set(T0.plusSeconds(i));
            String room = i % 20 < 10 ? "lab" : "studio";
            journal.appendAll(List.of(JournalEntry.reading(new ReadingBody(room, "s", "co2", "ppm", i, "t"), clock.instant()))).join();
            if (i % 10 == 0) {
                String card = i % 30 == 0 ? "0A00D6E3F2" : "BEEF01";
                String tap = "{\"card\":\"" + card + "\",\"granted\":true,\"reason\":\"granted\",\"i\":" + i + "}";
                journal.append(new JournalEntry(EventType.ACCESS_DECISION, clock.instant(), Optional.of(room), tap)).join();
                // A second event at the very same instant: the cursor must tell them apart.
                journal.append(new JournalEntry(EventType.READER_STATUS, clock.instant(), Optional.of(room), "{\"state\":\"online\"}")).join();
            }
        }
        return journal;
    }

    private static List<JournalEvent> all(Journal journal, EventQuery query) {
        List<JournalEvent> out = new ArrayList<>();
        EventQuery q = query;
        for (int pages = 0; pages < 10_000; pages++) {
            EventPage page = journal.page(q);
            out.addAll(page.events());
            if (page.next().isEmpty()) {
                return out;
            }
            // The cursor survives its wire form.
            q = q.after(EventCursor.parse(page.next().get().wire()));
        }
        throw new AssertionError("paging never ended");
    }

    private static EventQuery query(Optional<EventStream> stream, Optional<String> type, Optional<String> room,
                                    Optional<Instant> since, Optional<Instant> until, Optional<String> card, int limit) {
        return new EventQuery(stream, type, room, since, until, card, EventCursor.START, limit);
    }

    @Test
    void pages_of_every_size_give_every_event_once_newest_first_with_readings_merged_in() {
        Journal journal = school();
        EventQuery everything = EventQuery.latest(1000);
        List<JournalEvent> whole = journal.query(everything);
        assertThat(whole).hasSize(200 + 20 + 20);
        for (int size : new int[] {1, 3, 7, 50, 239, 240, 241}) {
            List<JournalEvent> paged = all(journal, everything.withLimit(size));
            assertThat(paged).as("pages of %d", size).containsExactlyElementsOf(whole);
        }
        assertThat(whole).extracting(JournalEvent::occurredAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void paging_does_not_repeat_or_skip_when_events_arrive_between_pages() {
        Journal journal = school();
        EventQuery taps = query(Optional.empty(), Optional.of("access.decision"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 5);
        EventPage first = journal.page(taps);
        journal.append(new JournalEntry(EventType.ACCESS_DECISION, T0.plusSeconds(500), Optional.of("lab"), "{\"card\":\"NEW\"}")).join();
        List<JournalEvent> rest = all(journal, taps.after(first.next().orElseThrow()));
        Set<Long> seqs = new HashSet<>();
        first.events().forEach(e -> seqs.add(e.seq()));
        rest.forEach(e -> assertThat(seqs.add(e.seq())).as("seq %d once", e.seq()).isTrue());
        assertThat(seqs).hasSize(20);
    }

    @Test
    void until_and_since_bound_both_parts_and_card_matches_the_stored_number() {
        Journal journal = school();
        Instant since = T0.plusSeconds(50);
        Instant until = T0.plusSeconds(100);
        List<JournalEvent> window = all(journal, query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(since),
                Optional.of(until), Optional.empty(), 7));
        assertThat(window).hasSize(50 + 5 + 5)
                .allSatisfy(e -> assertThat(e.occurredAt()).isBetween(since, until.minusNanos(1)));

        List<JournalEvent> cardA = all(journal, query(Optional.empty(), Optional.empty(), Optional.of("lab"), Optional.empty(),
                Optional.empty(), Optional.of("0A00D6E3F2"), 2));
        // Taps of card A at i % 30 == 0 in the lab (i % 20 < 10): 0, 30, 60, 90, 120, 150, 180 -> lab ones 0, 60, 120, 180.
        assertThat(cardA).extracting(e -> e.occurredAt().getEpochSecond() - T0.getEpochSecond()).containsExactly(180L, 120L, 60L, 0L);
        assertThat(cardA).allSatisfy(e -> assertThat(e.type()).isEqualTo("access.decision"));
        assertThat(journal.query(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("0A00D6"), 100))).as("a prefix is not the card").isEmpty();
    }

    @Test
    void readings_alone_page_by_sequence_number() {
        Journal journal = school();
        List<JournalEvent> readings = all(journal, query(Optional.of(EventStream.READINGS), Optional.empty(), Optional.of("lab"),
                Optional.of(T0.plusSeconds(100)), Optional.of(T0.plusSeconds(150)), Optional.empty(), 4));
        // lab seconds in 100..149: 100-109, 120-129, 140-149
        assertThat(readings).hasSize(30).extracting(JournalEvent::seq).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void the_indexed_part_walks_the_partial_indexes_in_order_without_a_sort() {
        Journal journal = school();
        EventCursor after = journal.page(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 3)).next().orElseThrow();
        EventQuery byTime = query(Optional.of(EventStream.PRIORITY), Optional.empty(), Optional.empty(), Optional.of(T0),
                Optional.of(T0.plusSeconds(100)), Optional.of("BEEF01"), 50).after(after);
        EventQuery byRoom = query(Optional.empty(), Optional.of("access.decision"), Optional.of("lab"), Optional.empty(),
                Optional.of(T0.plusSeconds(100)), Optional.empty(), 50).after(after);
        assertThat(plan(journal, byTime)).contains("events_by_time").doesNotContain("TEMP B-TREE");
        assertThat(plan(journal, byRoom)).contains("events_by_room").doesNotContain("TEMP B-TREE");
    }

    @Test
    void a_cursor_from_elsewhere_is_refused() {
        assertThat(EventCursor.parse("e1764403200000000.priority.17-r12").wire()).isEqualTo("e1764403200000000.priority.17-r12");
        assertThat(EventCursor.parse("ex-r1").indexedDone()).isTrue();
        for (String bad : List.of("", "x", "e1.nosuch.2", "r-1", "e1.priority", "r1-r2", "ex-ex", "e1.priority.2;DROP", "r99999999999999999999",
                "e1.priority.2-r1-r3", "r" + "1".repeat(200))) {
            assertThatThrownBy(() -> EventCursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String plan(Journal journal, EventQuery query) {
        List<Object> args = new ArrayList<>();
        String sql = Journal.indexedSql(query, args).toString();
        return journal.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString(4)).append('\n');
                    }
                }
                return out.toString();
            }
        });
    }
}
