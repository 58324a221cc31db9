package io.revops.bridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and resident memory of another process, read from Linux /proc (the benchmark measures the runtime's
 * process, not the JVM running the benchmark). RSS is sampled every 200 ms; the peak since the last reset is kept.
 */
final class ProcessMeter implements AutoCloseable {
    private final long pid;
    private final long ticksPerSecond;
    private final AtomicLong peakRssKb = new AtomicLong();
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
            } catch (RuntimeException processGone) {
                // the process ended between two samples: the peak so far stands
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** User + system CPU time the process has used so far, in milliseconds. */
    long cpuMillis() {
        return cpuMillis(pid, ticksPerSecond);
    }

    /** User + system CPU time process pid has used so far, in milliseconds, at ticksPerSecond clock ticks. */
    static long cpuMillis(long pid, long ticksPerSecond) {
        return cpuMillis(Path.of("/proc", String.valueOf(pid)), ticksPerSecond);
    }

    /** The same for a /proc/<pid> or /proc/<pid>/task/<tid> directory. */
    private static long cpuMillis(Path procEntry, long ticksPerSecond) {
        String stat = read(procEntry.resolve("stat"));
        // fields after the command name (which may contain spaces) start after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 1000 / ticksPerSecond;
    }

    /**
     * CPU time of the process' JIT compiler threads (Linux thread names "C1 CompilerThre...", "C2 CompilerThre...")
     * so far, in milliseconds: a fresh JVM compiles for minutes, idle or not, which is not the cost of being idle.
     */
    long compilerCpuMillis() {
        long millis = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                        millis += cpuMillis(task, ticksPerSecond);
                    }
                } catch (IOException | UncheckedIOException ended) {
                    // a compiler thread that ended (the JVM adds and removes them): its time leaves the sum
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return millis;
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
