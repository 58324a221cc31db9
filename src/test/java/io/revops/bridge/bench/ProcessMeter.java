package io.revops.bridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of another process, read from Linux /proc (the benchmark measures the runtime's
 * process, not the JVM running the benchmark). RSS is sampled every 200 ms; the peak since the last reset is kept.
 */
final class ProcessMeter implements AutoCloseable {
    private final long pid;
    private final long ticksPerSecond;
    private final AtomicLong peakRssKb = new AtomicLong();
    /** CPU-ms of each JIT compiler thread (tid@start) at its last reading: the JVM ends idle ones (dynamic count). */
    private final Map<String, Long> compilerThreads = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });

    ProcessMeter(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicks();
        sampler.scheduleAtFixedRate(() -> {
            try {
                peakRssKb.accumulateAndGet(rssKb(), Math::max);
                readCompilerThreads();
            } catch (RuntimeException processGone) {
                // the process ended between two samples: the peak so far stands
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** User + system CPU time the process has used so far, in milliseconds. */
    long cpuMillis() {
        return cpuMillis(pid, ticksPerSecond);
    }

    /**
     * CPU time of the JVM's JIT compiler threads (C1, C2) so far, in milliseconds: a fresh runtime compiles for minutes
     * under load, which a short measure otherwise counts as the events' cost. Read every 200 ms with the RSS, so a
     * compiler thread the JVM ends loses at most what it used since then.
     */
    long jitCpuMillis() {
        readCompilerThreads();
        return compilerThreads.values().stream().mapToLong(Long::longValue).sum();
    }

    private void readCompilerThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        compilerThreads.put(task.getFileName() + "@" + fields[19], ticks * 1000 / ticksPerSecond);
                    }
                } catch (IOException ended) {
                    // the thread ended between the listing and the read: its last reading stands
                }
            });
        } catch (IOException | UncheckedIOException processGone) {
            // the process ended: the readings so far stand
        }
    }

    /** User + system CPU time process pid has used so far, in milliseconds, at ticksPerSecond clock ticks. */
    static long cpuMillis(long pid, long ticksPerSecond) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        // fields after the command name (which may contain spaces) start after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 1000 / ticksPerSecond;
    }

    /** When process pid started, in clock ticks after boot (with the pid, it names one process). */
    static long startTicks(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]); // starttime (field 22)
    }

    long rssKb() {
        for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** The peak RSS since the previous call, in MB; starts a new peak. */
    double takePeakRssMb() {
        return peakRssKb.getAndSet(0) / 1024.0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100; // Linux' USER_HZ nearly everywhere
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
