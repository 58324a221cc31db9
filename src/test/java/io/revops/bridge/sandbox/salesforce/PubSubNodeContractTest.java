package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs src/test/js/pubsub (node's test runner) against an emulator of its own: Salesforce's published
 * pubsub_api.proto through @grpc/grpc-js, avsc and salesforce-pubsub-api-client, none of them written here, check
 * channels, Publish/PublishStream, ManagedSubscribe, keepalive, errors with rpc ids, the tenant check and
 * changeOrigin. npm installs the pinned packages (package-lock.json) on first use.
 */
class PubSubNodeContractTest {
    private static final Path HARNESS = Path.of("src", "test", "js", "pubsub");
    private static final Path WORK = Path.of("target", "pubsub-contract");
    private static final Duration KEEPALIVE = Duration.ofSeconds(2);
    private static final int PUBSUB_PORT = SalesforceEmulatorTest.freePort();
    private static final SalesforceEmulator ORG = new SalesforceEmulator(SalesforceEmulatorTest.freePort(), PUBSUB_PORT,
            WORK.resolve("salesforce"));

    @BeforeAll
    static void start() {
        ORG.setPubSubKeepalive(KEEPALIVE);
        ORG.start();
        ORG.registerPlatformEvent("/event/Order_Activated__e", SchemaBuilder.record("Order_Activated__e")
                .namespace("com.sforce.eventbus").fields().requiredLong("CreatedDate").requiredString("CreatedById")
                .optionalString("Order_Number__c").endRecord());
        ORG.defineManagedSubscription("Account_Changes", "/data/AccountChangeEvent", "EARLIEST");
    }

    @AfterAll
    static void stop() {
        ORG.close();
    }

    @Test
    void foreignPubSubClientsAgreeWithTheEmulator() throws Exception {
        if (!installed()) {
            run(Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        }
        Map<String, String> env = Map.of("SF_LOGIN_URL", ORG.loginUrl(), "PUBSUB_ENDPOINT", "127.0.0.1:" + PUBSUB_PORT,
                "PUBSUB_CA", certificatePem().toString(), "PLATFORM_EVENT", "/event/Order_Activated__e",
                "MANAGED_SUBSCRIPTION", "Account_Changes", "KEEPALIVE_MS", String.valueOf(KEEPALIVE.toMillis()));
        run(env, "npm", "test");
        // the managed subscription's commit is kept by the org, not by the client
        assertThat(ORG.committedReplayId("Account_Changes")).isPositive();
    }

    /** Whether node_modules holds what package-lock.json pins (npm's own record of it is not older than the lock). */
    private static boolean installed() throws IOException {
        Path installedLock = HARNESS.resolve("node_modules").resolve(".package-lock.json");
        return Files.exists(installedLock) && Files.getLastModifiedTime(installedLock)
                .compareTo(Files.getLastModifiedTime(HARNESS.resolve("package-lock.json"))) >= 0;
    }

    /** Runs a command in the harness; fails with its output (node's test report) unless it exits 0. */
    private static void run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path log = Files.createDirectories(WORK).resolve(command[1] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(HARNESS.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(process.isAlive() ? -1 : process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    }

    /** The emulator's self-signed certificate as PEM, the form Node's TLS takes as a trusted root. */
    private static Path certificatePem() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ORG.trustStore())) {
            store.load(in, ORG.trustStorePassword().toCharArray());
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(store.getCertificate(store.aliases().nextElement()).getEncoded());
        Path pem = WORK.resolve("pubsub-ca.pem").toAbsolutePath();
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        return pem;
    }
}
