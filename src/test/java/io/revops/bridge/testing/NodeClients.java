package io.revops.bridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Client software nobody in this project wrote (jsforce, grpc-js on Salesforce's proto, ... from npm), installed from
 * the lock file in src/test/js and run under the machine's Node.js.
 */
public final class NodeClients {
    public static final Path DIR = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean installed;

    public record CheckResult(String check, boolean ok, String error) {
    }

    private NodeClients() {
    }

    /** Runs src/test/js/run.mjs with the given environment; one result per check (each prints one JSON line). */
    public static List<CheckResult> runChecks(Map<String, String> environment) {
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

    /**
     * Runs a command in src/test/js once the clients are installed: its output, or an exception holding the output
     * when it does not exit 0 within the timeout.
     */
    public static String run(List<String> command, Map<String, String> environment, int timeoutMinutes) {
        installOnce();
        return execute(command, environment, timeoutMinutes);
    }

    /** A PKCS12 store's certificate as PEM, the form Node takes as a trusted root (NODE_EXTRA_CA_CERTS). */
    public static Path certificatePem(Path pkcs12, String password, Path pem) {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            byte[] der = store.getCertificate(store.aliases().nextElement()).getEncoded();
            Files.createDirectories(pem.toAbsolutePath().getParent());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n");
            return pem.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** npm ci from the lock file, once per lock file change (node_modules/.package-lock.json is npm's own record). */
    private static synchronized void installOnce() {
        if (installed) {
            return;
        }
        Path npmRecord = DIR.resolve("node_modules/.package-lock.json");
        try {
            installed = Files.exists(npmRecord) && Files.getLastModifiedTime(npmRecord)
                    .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!installed) {
            execute(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), 5);
            installed = true;
        }
    }

    private static String execute(List<String> command, Map<String, String> environment, int timeoutMinutes) {
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
                        + " Node.js >= 18 and npm (.ci/run installs them)", e);
            }
            boolean finished = process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command)
                        + (finished ? " exited " + process.exitValue() : " did not finish in " + timeoutMinutes + " minutes")
                        + ":\n" + output);
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
