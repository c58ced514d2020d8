package org.campusedge.agent.journal;

import java.time.Instant;

/**
 * The journal's space, retention and aggregation at a glance, for {@code /api/health} and
 * {@code /metrics}.
 *
 * @param fileBytes            journal files on disk (database and WAL)
 * @param usedBytes            pages holding data, as measured against the budget
 * @param budgetBytes          the disk budget
 * @param reclaimedBytes       returned to the file system since start
 * @param deletedExpired       events deleted past retention since start
 * @param deletedBudgetAcked   acknowledged readings deleted for space since start
 * @param deletedBudgetUnacked unsent readings deleted for space since start
 * @param gaps                 gaps recorded in this journal (all time)
 * @param gapsDeclared         of those, declared to the data center
 * @param eventsLost           events in those gaps (all time)
 * @param minutesAggregated    minutes summarised since start
 * @param aggregatesWritten    aggregate events appended since start
 * @param lateReadings         readings that arrived after their minute was summarised, since start
 * @param aggregatedBefore     every minute before this is summarised
 */
public record StorageStats(long fileBytes, long usedBytes, long budgetBytes, long reclaimedBytes, long deletedExpired,
                           long deletedBudgetAcked, long deletedBudgetUnacked, long gaps, long gapsDeclared,
                           long eventsLost, long minutesAggregated, long aggregatesWritten, long lateReadings,
                           Instant aggregatedBefore) {

    /** One snapshot of the three sources. */
    public static StorageStats of(Journal journal, SensorAggregator aggregator, JournalRetention retention) {
        JournalRetention.Stats r = retention.stats();
        SensorAggregator.Stats a = aggregator.stats();
        Journal.GapTotals g = journal.gapTotals();
        return new StorageStats(r.fileBytes(), r.usedBytes(), r.budgetBytes(), r.reclaimedBytes(), r.deletedExpired(),
                r.deletedBudgetAcked(), r.deletedBudgetUnacked(), g.gaps(), g.declared(), g.eventsLost(), a.minutes(),
                a.aggregates(), a.lateReadings(), a.doneBefore());
    }
}
