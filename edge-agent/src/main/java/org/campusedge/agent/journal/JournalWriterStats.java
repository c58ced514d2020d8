package org.campusedge.agent.journal;

/**
 * Counters of the journal writer since start.
 *
 * @param commits         transactions committed
 * @param events          events committed
 * @param failedCommits   transactions that failed after retries
 * @param largestBatch    most events committed in one transaction
 * @param queued          operations waiting for the writer right now
 */
public record JournalWriterStats(long commits, long events, long failedCommits, long largestBatch, int queued) {
}
