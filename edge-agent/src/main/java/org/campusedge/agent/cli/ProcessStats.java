package org.campusedge.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's /proc says of a process, for the benchmarks (proc(5)); every reader answers 0 where
 * there is no /proc or the process is gone.
 */
final class ProcessStats {

    /** USER_HZ: the unit of utime and stime, 100 on Linux (sysconf(_SC_CLK_TCK)). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** utime + stime of the process in {@code /proc/PID} (or any /proc entry), in clock ticks. */
    static long cpuTicks(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds (user + system) the process has used. */
    static double cpuSeconds(long pid) {
        return cpuTicks(Path.of("/proc", Long.toString(pid))) / TICKS_PER_SECOND;
    }

    /** The process's peak resident set (VmHWM) in KiB. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * CPU ticks per thread name of the process ({@code /proc/PID/task/TID}), digits at the end of
     * a name folded ({@code GC Thread#0}, {@code GC Thread#1} → {@code GC Thread#}), so a
     * benchmark can say where the CPU went.
     */
    static java.util.Map<String, Long> threadTicks(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("\\d+$", "#");
                    out.merge(name, cpuTicks(t), Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** Stops {@code p}: SIGTERM, then SIGKILL if it has not exited within {@code graceSeconds}. */
    static void stop(Process p, long graceSeconds) {
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
