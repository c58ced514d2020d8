package org.campusedge.agent.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run of sensor messages into a {@link BenchAgent}: the messages are published, then
 * the run waits until the agent has committed and applied them all (or stops making progress),
 * and says what the agent did and what it cost.
 *
 * @param published      messages the publisher sent
 * @param received       messages the agent's MQTT client received (the broker dropped the rest)
 * @param dropped        messages the agent's ingest dropped because it fell behind
 * @param stalls         times the agent's ingest waited for its journal to commit
 * @param committed      readings committed to the journal and applied to the room state
 * @param startNanos     when publishing began
 * @param publishedNanos when the publisher had written its last message
 * @param doneNanos      when the last reading was seen committed and applied
 * @param cpuSeconds     the agent's CPU (user + system) meanwhile
 * @param peakRssKb      the agent's peak resident set
 * @param threadTicks    the agent's CPU meanwhile by thread name, in clock ticks
 */
record IngestRun(long published, long received, long dropped, long stalls, long committed, long startNanos, long publishedNanos,
                 long doneNanos, double cpuSeconds, long peakRssKb, Map<String, Long> threadTicks) {

    /** Publishes the run's messages; returns once the last is written. */
    @FunctionalInterface
    interface Publisher {
        void publish() throws IOException, InterruptedException;
    }

    /**
     * Publishes {@code count} messages with {@code publisher} and waits until {@code agent} has
     * committed and applied as many more readings, or made no progress for {@code idleNanos}.
     */
    static IngestRun measure(BenchAgent agent, long count, Publisher publisher, long idleNanos)
            throws IOException, InterruptedException {
        BenchAgent.Marks base = agent.marks();
        double cpuAtStart = ProcessStats.cpuSeconds(agent.pid());
        Map<String, Long> threadsAtStart = ProcessStats.threadTicks(agent.pid());
        long start = System.nanoTime();
        publisher.publish();
        long published = System.nanoTime();
        BenchAgent.Progress p = agent.awaitReadings(base, count, idleNanos);
        double cpu = ProcessStats.cpuSeconds(agent.pid()) - cpuAtStart;
        Map<String, Long> threads = ProcessStats.threadTicks(agent.pid());
        threads.replaceAll((name, ticks) -> ticks - threadsAtStart.getOrDefault(name, 0L));
        BenchAgent.Marks m = p.marks();
        return new IngestRun(count, m.received(), m.dropped(), m.stalls(), m.done(), start, published, Math.max(p.atNanos(), published),
                cpu, p.peakRssKb(), threads);
    }

    /** From the first publish to the last reading committed. */
    double seconds() {
        return (doneNanos - startNanos) / 1e9;
    }

    /** From the first publish to the last. */
    double publishSeconds() {
        return (publishedNanos - startNanos) / 1e9;
    }

    /** Readings committed and applied per second, over {@link #seconds()}. */
    double rate() {
        return committed / seconds();
    }

    /** How long after the publisher's last message the agent's last reading was committed. */
    double lagMillis() {
        return (doneNanos - publishedNanos) / 1e6;
    }

    /** Messages lost anywhere between the publisher and the committed journal. */
    long lost() {
        return published - committed;
    }

    double cpuMicrosPerMessage() {
        return committed == 0 ? 0 : cpuSeconds * 1e6 / committed;
    }

    /** The agent's busiest threads, {@code limit} of them: µs of CPU per committed message each. */
    String threadsPerMessage(int limit) {
        return threads(limit, ticks -> committed == 0 ? 0 : ticks / ProcessStats.TICKS_PER_SECOND * 1e6 / committed, "%s %.1f;");
    }

    /** The agent's busiest threads, {@code limit} of them: each one's share of a core while the run lasted. */
    String threadsShare(int limit) {
        return threads(limit, ticks -> ticks / ProcessStats.TICKS_PER_SECOND / seconds() * 100, "%s %.0f%%;");
    }

    private String threads(int limit, java.util.function.LongToDoubleFunction figure, String format) {
        StringBuilder b = new StringBuilder();
        threadTicks.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> b.append(' ').append(String.format(Locale.ROOT, format, e.getKey(), figure.applyAsDouble(e.getValue()))));
        return b.toString();
    }
}
