package io.revops.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Client software nobody in this project wrote (jsforce and friends from npm), installed from the lock file in
 * src/test/js and run under the machine's Node.js. Each check prints one JSON line; a test turns each into a result.
 */
public final class NodeClients {
    public static final Path DIR = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    public record CheckResult(String check, boolean ok, String error) {
    }

    private NodeClients() {
    }

    /** Runs src/test/js/run.mjs with the given environment; one result per check. */
    public static List<CheckResult> runChecks(Map<String, String> environment) {
        installOnce();
        String output = run(List.of("node", "run.mjs"), environment, 10);
        List<CheckResult> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"check\"")) {
                try {
                    JsonNode result = JSON.readTree(line);
                    results.add(new CheckResult(result.path("check").asText(), result.path("ok").asBoolean(),
                            result.path("error").asText(null)));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable check result: " + line, e);
                }
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("no check ran; node printed:\n" + output);
        }
        return results;
    }

    /** npm ci from the lock file, once per lock file change (node_modules/.package-lock.json is npm's own record). */
    private static synchronized void installOnce() {
        Path installed = DIR.resolve("node_modules/.package-lock.json");
        try {
            if (Files.exists(installed)
                    && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 5);
    }

    private static String run(List<String> command, Map<String, String> environment, int timeoutMinutes) {
        try {
            Path log = Files.createTempFile("node-clients", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("'" + command.get(0) + "' is not installed: the foreign-client tests need"
                        + " Node.js >= 20 and npm (.ci/run installs them)", e);
            }
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutMinutes
                        + " minutes:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
