package org.campusedge.sync.center.query;

import org.campusedge.sync.center.DataCenterConfig;
import org.campusedge.sync.center.EventQuery;
import org.campusedge.sync.center.EventStore;
import org.campusedge.sync.center.StoredEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The usage report of special rooms, computed from the stored access events of any
 * {@link EventStore}: sessions, unique students, occupied hours and entries per period, school and
 * room type, plus a city-wide line per period and room type (students there are counted per school,
 * so one card in two schools is two students).
 *
 * <p>A session counts in the period its first entry falls in (days cut in the city's zone), whole,
 * even if it runs past midnight. To know whether a room is already occupied when the range starts,
 * and to see sessions close that start near its end, events from a day either side are read; a
 * session is at most a day long, because the box's daily close ends it. A session with no exit or
 * close within what was read counts up to its latest entry, and is reported in {@code openSessions}.
 *
 * <p>Stateless; each {@link #compute} call is independent and runs on its caller's thread.
 */
public final class UsageReport {

    /** Events read per store query while scanning. */
    static final int SCAN_PAGE = 5_000;
    private static final Duration MARGIN = Duration.ofDays(1);

    /**
     * A computed report.
     *
     * @param period       week, month or term
     * @param from         first day asked for
     * @param to           last day asked for
     * @param zone         the zone days are cut in
     * @param rows         the lines, by period start, school ({@code ALL} last), room type
     * @param openSessions sessions without an exit or close in what was read (counted to their latest entry)
     * @param unreadable   access events skipped because their payload could not be read
     */
    public record Result(String period, LocalDate from, LocalDate to, ZoneId zone, List<UsageRow> rows, long openSessions,
                         long unreadable) {
    }

    private final EventStore store;
    private final DataCenterConfig.Queries settings;

    public UsageReport(EventStore store, DataCenterConfig.Queries settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * @param schools    every device's school (the registry); a device missing here is reported under its id
     * @param devices    only these devices (one school's boxes); empty for all
     * @param period     how to cut time
     * @param from       first day, in the configured zone
     * @param to         last day, inclusive
     */
    public Result compute(Map<String, String> schools, Optional<Set<String>> devices, ReportPeriod period, LocalDate from,
                   LocalDate to) {
        ZoneId zone = settings.zone();
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        Map<Key, Cell> cells = new TreeMap<>();
        long[] open = new long[1];
        OccupancySessions fold = new OccupancySessions(s -> {
            Instant first = s.start();
            if (first.isBefore(start) || !first.isBefore(end)) {
                return;
            }
            Optional<ReportPeriod.Span> span = period.spanOf(LocalDate.ofInstant(first, zone), settings.terms());
            if (span.isEmpty()) {
                return;
            }
            if (s.open()) {
                open[0]++;
            }
            String school = schools.getOrDefault(s.device(), "(unregistered device " + s.device() + ")");
            cells.computeIfAbsent(new Key(span.get(), school, s.roomType()), k -> new Cell()).add(s, "");
            cells.computeIfAbsent(new Key(span.get(), UsageRow.ALL_SCHOOLS, s.roomType()), k -> new Cell()).add(s, school + "\n");
        });
        EventQuery query = new EventQuery(devices, Optional.empty(), OccupancySessions.TYPES,
                start.minus(MARGIN), end.plus(MARGIN), Optional.empty(), SCAN_PAGE);
        while (true) {
            EventQuery.Page page = store.search(query);
            for (StoredEvent e : page.events()) {
                fold.accept(e);
            }
            if (page.next().isEmpty()) {
                break;
            }
            query = query.after(page.next().get());
        }
        fold.finish();
        List<UsageRow> rows = new ArrayList<>(cells.size());
        cells.forEach((k, c) -> rows.add(c.row(k)));
        return new Result(period.wireName(), from, to, zone, rows, open[0], fold.unreadable());
    }

    /** A line's identity; sorts by period start, school with {@code ALL} last, room type. */
    private record Key(ReportPeriod.Span span, String school, String roomType) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.<Key, LocalDate>comparing(k -> k.span.first())
                .thenComparing(k -> k.span.label())
                .thenComparing(k -> k.school.equals(UsageRow.ALL_SCHOOLS))
                .thenComparing(Key::school)
                .thenComparing(Key::roomType);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /** What the sessions of one line add up to. */
    private static final class Cell {
        private final Set<String> rooms = new HashSet<>();
        private final Set<String> students = new HashSet<>();
        private int sessions;
        private long millis;
        private int entries;

        /** @param scope prefixes student keys, so the city-wide line counts one card in two schools twice */
        void add(OccupancySessions.Session s, String scope) {
            rooms.add(s.device() + "\n" + s.room());
            s.students().forEach(st -> students.add(scope + st));
            sessions++;
            millis += Duration.between(s.start(), s.end()).toMillis();
            entries += s.entries();
        }

        UsageRow row(Key k) {
            return new UsageRow(k.span.label(), k.span.first().toString(), k.span.last().toString(), k.school, k.roomType,
                    rooms.size(), sessions, students.size(), Math.round(millis / 36_000.0) / 100.0, entries);
        }
    }
}
