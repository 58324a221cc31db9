package io.revops.bridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of every process a measure runs on, read from Linux /proc, in named parts: on 2 cores the runtime, the
 * emulators, the Kafka broker and PostgreSQL compete for the same CPU, so a rate alone does not say where it went.
 * Each part is a counter of CPU-ms used so far; a measure takes the difference of two readings.
 */
final class MachineCpu {
    private static final long TICKS_PER_SECOND = ProcessMeter.clockTicks();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, LongSupplier> parts = new LinkedHashMap<>();

    MachineCpu part(String name, LongSupplier cpuMillis) {
        parts.put(name, cpuMillis);
        return this;
    }

    Map<String, Long> read() {
        Map<String, Long> reading = new LinkedHashMap<>();
        parts.forEach((name, counter) -> reading.put(name, counter.getAsLong()));
        return reading;
    }

    /** CPU-ms per unit of every part between two readings, in the parts' order. */
    static Map<String, Double> perUnit(Map<String, Long> before, Map<String, Long> after, int units) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, millis) -> used.put(name, (millis - before.get(name)) / (double) units));
        return used;
    }

    /** This JVM's CPU time (the benchmark's own process: its clients and the emulators). */
    static long thisProcess() {
        return ProcessMeter.cpuMillis(ProcessHandle.current().pid(), TICKS_PER_SECOND);
    }

    /**
     * CPU time of the live threads of this JVM that match; a thread that ended takes its time out of the sum, so only
     * long-lived threads (a fixed pool, the test's own thread) are counted this way.
     */
    static long threads(Predicate<Thread> which) {
        long nanos = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (which.test(thread)) {
                nanos += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
            }
        }
        return nanos / 1_000_000;
    }

    /**
     * A counter of the CPU time of the processes whose command line (arguments joined by spaces) matches, e.g. a
     * broker's JVM, that never goes back: a process that ended (a database backend whose connection closed) keeps the
     * time it had at the last reading; only what it used after that is lost (summing the live processes alone would
     * drop an ended one's whole time: a negative difference).
     */
    static LongSupplier processesEverSeen(Predicate<String> commandLine) {
        Map<String, Long> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();
        return () -> {
            for (long pid : pids()) {
                String cmdline = commandLine(pid);
                if (cmdline != null && commandLine.test(cmdline)) {
                    try {
                        // pid and start time: a pid the kernel hands out again is another process
                        lastSeen.put(pid + "@" + ProcessMeter.startTicks(pid), ProcessMeter.cpuMillis(pid, TICKS_PER_SECOND));
                    } catch (RuntimeException gone) {
                        // ended between the listing and the read: its last reading stands
                    }
                }
            }
            return lastSeen.values().stream().mapToLong(Long::longValue).sum();
        };
    }

    private static Set<Long> pids() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::valueOf).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"))).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
