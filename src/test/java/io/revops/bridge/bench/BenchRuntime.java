package io.revops.bridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.testing.PackagedRuntime;

/** One packaged runtime process (production profile) under measurement: started, awaited ready, stopped gracefully. */
final class BenchRuntime implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int managementPort;
    final ProcessMeter meter;

    private BenchRuntime(Process process, int managementPort) {
        this.process = process;
        this.managementPort = managementPort;
        this.meter = new ProcessMeter(process.pid());
    }

    static BenchRuntime start(Map<String, String> env, SalesforceEmulator salesforce, Path log, List<String> jvmOptions) throws IOException {
        BenchRuntime runtime = new BenchRuntime(PackagedRuntime.start(env, salesforce, log, jvmOptions),
                Integer.parseInt(env.get("MANAGEMENT_PORT")));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!runtime.process.isAlive()) {
                        throw new IllegalStateException("the runtime exited with " + runtime.process.exitValue() + "; see " + log);
                    }
                    return runtime.ready();
                });
        return runtime;
    }

    private boolean ready() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Its threads by kind: the names jcmd Thread.print lists, numbers dropped ("kafka-coordinator-heartbeat-thread |
     * erp-account-sync" once per consumer), most numerous first.
     */
    Map<String, Integer> threadsByKind() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
        Map<String, Integer> kinds = new java.util.HashMap<>();
        try (var lines = jcmd.inputReader().lines()) {
            lines.filter(line -> line.startsWith("\""))
                    .map(line -> line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "#"))
                    .forEach(kind -> kinds.merge(kind, 1, Integer::sum));
        }
        jcmd.waitFor();
        Map<String, Integer> sorted = new java.util.LinkedHashMap<>();
        kinds.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(kind -> sorted.put(kind.getKey(), kind.getValue()));
        return sorted;
    }

    @Override
    public void close() throws InterruptedException {
        meter.close();
        process.destroy(); // SIGTERM: Quarkus stops Camel, consumers commit and leave their groups
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
