package org.campusedge.agent.journal;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of {@link Journal#query(EventQuery)} ended, so the next page ("load older") starts
 * right after it: no event is shown twice or skipped, however many arrive meanwhile.
 *
 * <p>A query covers up to two parts that are searched apart: the indexed events (everything but
 * raw readings), ordered by {@code (occurred_us, stream, seq)} descending, and raw readings,
 * ordered by {@code seq} descending. The cursor keeps a position in each: the key of the last
 * indexed event shown (or "exhausted"), and the readings seq to continue below. An absent part
 * starts from the newest. Its wire form (the {@code before} parameter) is opaque to clients:
 * {@code e<occurred_us>.<stream>.<seq>} or {@code ex}, and {@code r<seq>}, joined by {@code -}.
 *
 * @param indexed        the last indexed event shown; empty: none shown yet
 * @param indexedDone    no older indexed event matches
 * @param readingsBefore continue with readings below this seq (1: none left); empty: none shown yet
 */
public record EventCursor(Optional<Key> indexed, boolean indexedDone, OptionalLong readingsBefore) {

    private static final Pattern PART = Pattern.compile("e(-?\\d{1,19})\\.([a-z]{1,16})\\.(\\d{1,19})|ex|r(\\d{1,19})");

    /** One indexed event's position in the page order. */
    public record Key(long occurredUs, String stream, long seq) {
        static Key of(JournalEvent e) {
            return new Key(Micros.of(e.occurredAt()), e.stream().wireName(), e.seq());
        }

        /** Orders newest first, as the query does. */
        int compareNewestFirst(Key o) {
            int c = Long.compare(o.occurredUs, occurredUs);
            if (c == 0) {
                c = o.stream.compareTo(stream);
            }
            return c != 0 ? c : Long.compare(o.seq, seq);
        }
    }

    public static final EventCursor START = new EventCursor(Optional.empty(), false, OptionalLong.empty());

    /**
     * Reads the wire form.
     *
     * @throws IllegalArgumentException if {@code s} is not one this class wrote
     */
    public static EventCursor parse(String s) {
        if (s.length() > 100) {
            throw new IllegalArgumentException("too long");
        }
        Optional<Key> indexed = Optional.empty();
        boolean done = false;
        OptionalLong readings = OptionalLong.empty();
        boolean sawIndexed = false;
        for (String part : s.split("-(?=[er])", -1)) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a cursor this agent gave out");
            }
            if (m.group(4) != null) {
                if (readings.isPresent()) {
                    throw new IllegalArgumentException("two readings positions");
                }
                readings = OptionalLong.of(Long.parseLong(m.group(4)));
            } else {
                if (sawIndexed) {
                    throw new IllegalArgumentException("two event positions");
                }
                sawIndexed = true;
                if (part.equals("ex")) {
                    done = true;
                } else {
                    EventStream.fromWireName(m.group(2));
                    indexed = Optional.of(new Key(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3))));
                }
            }
        }
        return new EventCursor(indexed, done, readings);
    }

    /** The wire form; empty for {@link #START}. */
    public String wire() {
        StringBuilder b = new StringBuilder();
        if (indexedDone) {
            b.append("ex");
        } else {
            indexed.ifPresent(k -> b.append('e').append(k.occurredUs()).append('.').append(k.stream()).append('.').append(k.seq()));
        }
        readingsBefore.ifPresent(r -> b.append(b.isEmpty() ? "" : "-").append('r').append(r));
        return b.toString();
    }
}
