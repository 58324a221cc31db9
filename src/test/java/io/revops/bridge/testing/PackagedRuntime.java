package io.revops.bridge.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.revops.bridge.sandbox.killbill.KillBillEmulator;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;
import io.revops.bridge.sandbox.tryton.TrytonEmulator;

/**
 * The production jar (target/quarkus-app, prod profile) as a process of its own, configured only by its environment as
 * on Kubernetes, against emulators the test started. Callers add what is theirs: Kafka, database, leader election.
 */
public final class PackagedRuntime {
    private PackagedRuntime() {
    }

    /** Ports, credentials and the emulated Salesforce, Tryton and Kill Bill; health on httpPort + 1000. */
    public static Map<String, String> environment(int httpPort, int jolokiaPort, SalesforceEmulator salesforce, int pubSubPort,
            TrytonEmulator tryton, KillBillEmulator killBill) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("MANAGEMENT_PORT", String.valueOf(httpPort + 1000)); // health lives on the management interface
        env.put("JOLOKIA_PORT", String.valueOf(jolokiaPort));
        env.put("JOLOKIA_PASSWORD", "packaged");
        env.put("OPS_OPERATOR_PASSWORD", "operator");
        env.put("OPS_VIEWER_PASSWORD", "viewer");
        env.put("SALESFORCE_LOGIN_URL", salesforce.loginUrl());
        env.put("SALESFORCE_CLIENT_ID", "sandbox-client");
        env.put("SALESFORCE_CLIENT_SECRET", "sandbox-secret");
        env.put("SALESFORCE_USERNAME", "integration@revops.sandbox");
        env.put("SALESFORCE_PASSWORD", "sandbox");
        env.put("SALESFORCE_PUBSUB_HOST", "127.0.0.1");
        env.put("SALESFORCE_PUBSUB_PORT", String.valueOf(pubSubPort));
        env.put("TRYTON_URL", tryton.baseUrl());
        env.put("TRYTON_PASSWORD", "admin");
        env.put("KILLBILL_URL", killBill.baseUrl());
        env.put("KILLBILL_USER", "admin");
        env.put("KILLBILL_PASSWORD", "password");
        return env;
    }

    /**
     * Starts the jar with that environment, trusting the emulated Salesforce's certificate there and in this JVM (the
     * test drives the org over HTTPS too, as a sales rep); output to log.
     */
    public static Process start(Map<String, String> env, SalesforceEmulator salesforce, Path log) throws IOException {
        return start(env, salesforce, log, List.of());
    }

    /** {@link #start(Map, SalesforceEmulator, Path)} with more JVM options (heap limits, say). */
    public static Process start(Map<String, String> env, SalesforceEmulator salesforce, Path log, List<String> jvmOptions)
            throws IOException {
        SandboxSalesforce.trustInThisJvm(salesforce);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.ssl.trustStore=" + salesforce.trustStore().toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=" + salesforce.trustStorePassword(),
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                // Jolokia's JDK HTTP server answers without the ~40 ms Nagle/delayed-ACK stall (HttpEmulator explains)
                "-Dsun.net.httpserver.nodelay=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A JDBC URL whose connections work in their own PostgreSQL schema (conformance tests stay apart). */
    public static String inSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
