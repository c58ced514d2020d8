package org.campusedge.bridge;

/**
 * Counters of one reader since start, for {@code /metrics} and {@code /api/health}.
 *
 * @param frames          well-formed frames decoded
 * @param cardReads       card reads emitted after de-duplication
 * @param duplicates      repeated frames of a held tag that were suppressed
 * @param checksumErrors  frames whose checksum or CRC did not match
 * @param droppedBytes    bytes discarded while resynchronising on garbage
 * @param resyncs         times the decoder had to hunt for the next start of frame
 * @param reconnects      times the link was reopened after it failed
 * @param online          whether the link is currently up
 * @param timeouts        commands the device did not answer in time (polled readers)
 * @param naks            commands the device refused (OSDP NAK)
 */
public record ReaderCounters(long frames, long cardReads, long duplicates, long checksumErrors,
                             long droppedBytes, long resyncs, long reconnects, boolean online, long timeouts, long naks) {

    /** Counters of a reader that is never polled, so never times out or refuses. */
    public ReaderCounters(long frames, long cardReads, long duplicates, long checksumErrors, long droppedBytes,
                          long resyncs, long reconnects, boolean online) {
        this(frames, cardReads, duplicates, checksumErrors, droppedBytes, resyncs, reconnects, online, 0, 0);
    }
}
