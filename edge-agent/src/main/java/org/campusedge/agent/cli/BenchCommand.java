package org.campusedge.agent.cli;

import org.campusedge.agent.access.AccessDecider;
import org.campusedge.agent.access.Decision;
import org.campusedge.agent.access.ReasonCode;
import org.campusedge.agent.config.StorageConfig;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.agent.journal.JournalEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code campus-edge bench}: measures what the targets are about and prints the figures.
 * Numbers on a shared, noisy machine vary; compare runs on the same box.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their figures.",
        subcommands = {BenchCommand.JournalBench.class, BenchCommand.DecisionBench.class, OsdpBench.class, MqttBench.class, DatacenterBench.class, DashboardBench.class})
final class BenchCommand {

    @Command(name = "journal", mixinStandardHelpOptions = true,
            description = "Append events to a fresh journal as fast as possible; print throughput and commit latency.")
    static final class JournalBench implements Callable<Integer> {

        @Option(names = "--events", defaultValue = "200000", description = "Events to append (default: ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--durability", defaultValue = "FULL", description = "full or normal (default: ${DEFAULT-VALUE}).")
        StorageConfig.Durability durability;

        @Option(names = "--window-ms", defaultValue = "2", description = "Group-commit window in ms (default: ${DEFAULT-VALUE}).")
        int windowMs;

        @Option(names = "--dir", description = "Where to put the scratch journal (default: a temporary folder).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path where = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("campus-edge-bench");
            Path file = where.resolve("bench-journal.db");
            Files.deleteIfExists(file);
            StorageConfig cfg = new StorageConfig(file, durability, Duration.ofMillis(windowMs), 5_000);
            String payload = "{\"reader\":\"studio-door\",\"room\":\"studio-1\",\"door\":\"main\",\"card\":\"0A00D6E3F2\","
                    + "\"format\":\"EM4100\",\"bits\":40,\"granted\":true,\"reason\":\"granted\",\"person\":\"S2024-0117\"}";
            long[] latencies = new long[events];
            try (Journal journal = Journal.open(cfg, Clock.systemUTC())) {
                List<CompletableFuture<JournalEvent>> futures = new ArrayList<>(events);
                long start = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    long t0 = System.nanoTime();
                    int idx = i;
                    futures.add(journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(),
                            Optional.of("studio-1"), payload)).whenComplete((e, x) -> latencies[idx] = System.nanoTime() - t0));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                long elapsed = System.nanoTime() - start;
                var stats = journal.writerStats();
                Arrays.sort(latencies);
                System.out.printf(Locale.ROOT, "journal bench: %d events, durability %s, window %d ms%n", events,
                        durability.name().toLowerCase(Locale.ROOT), windowMs);
                System.out.printf(Locale.ROOT, "  throughput      %,.0f events/s committed (%.2f s)%n",
                        events / (elapsed / 1e9), elapsed / 1e9);
                System.out.printf(Locale.ROOT, "  commits         %d (avg %.0f events per commit, largest %d)%n",
                        stats.commits(), (double) stats.events() / Math.max(1, stats.commits()), stats.largestBatch());
                System.out.printf(Locale.ROOT, "  enqueue->commit p50 %.2f ms, p99 %.2f ms, max %.2f ms (all queued at once)%n",
                        latencies[events / 2] / 1e6, latencies[(int) (events * 0.99)] / 1e6, latencies[events - 1] / 1e6);
                paced(journal, payload);
            }
            System.out.printf("  journal file    %s (%d bytes)%n", file, Files.size(file));
            return 0;
        }
    }

    /** Taps arrive one at a time, as at real doors: how long until each is durably committed? */
    private static void paced(Journal journal, String payload) {
        int n = 1_000;
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            journal.append(new JournalEntry(EventType.ACCESS_DECISION, Instant.now(), Optional.of("studio-1"), payload)).join();
            lat[i] = System.nanoTime() - t0;
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
        }
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "  one tap at a time (%d taps, 2 ms apart): append->commit p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                n, lat[n / 2] / 1e6, lat[(int) (n * 0.99)] / 1e6, lat[n - 1] / 1e6);
    }

    @Command(name = "decision", mixinStandardHelpOptions = true,
            description = {"Decide taps against a large in-memory allow-list and a school's full access policy",
                    "(group timetables, windows over midnight, holidays, capacity, anti-passback, in/out/toggle readers);",
                    "print per-decision latency."})
    static final class DecisionBench implements Callable<Integer> {

        @Option(names = "--cards", defaultValue = "50000", description = "Cards on the allow-list (default: ${DEFAULT-VALUE}).")
        int cards;

        @Option(names = "--taps", defaultValue = "1000000", description = "Taps to decide (default: ${DEFAULT-VALUE}).")
        int taps;

        @Override
        public Integer call() {
            ZoneId zone = ZoneId.of("Asia/Shanghai");
            BenchSchool school = new BenchSchool(cards, zone);
            AccessDecider decider = school.decider();
            BenchSchool.Tap[] sample = school.taps(4096);
            EnumMap<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
            for (int i = 0; i < 200_000; i++) {
                BenchSchool.Tap t = sample[i & 4095];
                decider.decide(t.card(), t.room(), t.direction(), t.at());
            }
            long[] lat = new long[taps];
            long start = System.nanoTime();
            for (int i = 0; i < taps; i++) {
                BenchSchool.Tap t = sample[i & 4095];
                long t0 = System.nanoTime();
                Decision d = decider.decide(t.card(), t.room(), t.direction(), t.at());
                lat[i] = System.nanoTime() - t0;
                reasons.merge(d.reason(), 1L, Long::sum);
            }
            long elapsed = System.nanoTime() - start;
            Arrays.sort(lat);
            long granted = reasons.entrySet().stream().filter(e -> e.getKey().granted()).mapToLong(Map.Entry::getValue).sum();
            System.out.printf(Locale.ROOT, "decision bench: %d taps against %d cards, %d rooms with %d timetable rules,"
                    + " %d holidays (%d granted)%n", taps, cards, school.policy().rooms().size(),
                    school.policy().rooms().values().stream().mapToInt(r -> r.rules().size()).sum(),
                    school.policy().holidays().holidays().size(), granted);
            System.out.printf(Locale.ROOT, "  reasons     %s%n", reasons.entrySet().stream()
                    .map(e -> e.getKey().code() + " " + e.getValue()).collect(Collectors.joining(", ")));
            System.out.printf(Locale.ROOT, "  throughput  %,.0f decisions/s%n", taps / (elapsed / 1e9));
            System.out.printf(Locale.ROOT, "  latency     p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.2f us%n",
                    lat[taps / 2] / 1e3, lat[(int) (taps * 0.99)] / 1e3, lat[(int) (taps * 0.999)] / 1e3, lat[taps - 1] / 1e3);
            return 0;
        }
    }
}
