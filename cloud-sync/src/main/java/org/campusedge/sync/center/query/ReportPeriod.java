package org.campusedge.sync.center.query;

import org.campusedge.sync.center.DataCenterConfig;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a usage report cuts time: ISO weeks (Monday first), calendar months, or the configured school terms. */
public enum ReportPeriod {
    WEEK, MONTH, TERM;

    /**
     * One period.
     *
     * @param label e.g. {@code 2026-W36}, {@code 2026-09} or the term's name
     * @param first its first day
     * @param last  its last day
     */
    record Span(String label, LocalDate first, LocalDate last) {
    }

    /** The wire name, as in {@code period=week}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportPeriod> fromWireName(String text) {
        for (ReportPeriod p : values()) {
            if (p.wireName().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The period {@code day} falls in; empty for a day outside every term. */
    Optional<Span> spanOf(LocalDate day, List<DataCenterConfig.Term> terms) {
        return switch (this) {
            case WEEK -> {
                LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                yield Optional.of(new Span(String.format(Locale.ROOT, "%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
                        monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), monday, monday.plusDays(6)));
            }
            case MONTH -> Optional.of(new Span(String.format(Locale.ROOT, "%d-%02d", day.getYear(), day.getMonthValue()),
                    day.withDayOfMonth(1), day.with(TemporalAdjusters.lastDayOfMonth())));
            case TERM -> terms.stream().filter(t -> !day.isBefore(t.from()) && !day.isAfter(t.to())).findFirst()
                    .map(t -> new Span(t.name(), t.from(), t.to()));
        };
    }
}
