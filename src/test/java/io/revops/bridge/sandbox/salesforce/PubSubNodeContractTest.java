package io.revops.bridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.revops.bridge.testing.FreePorts;
import io.revops.bridge.testing.NodeClients;

/**
 * Runs src/test/js/pubsub (node's test runner; clients installed by NodeClients) against an emulator of its own:
 * Salesforce's published pubsub_api.proto through @grpc/grpc-js, avsc and salesforce-pubsub-api-client, none of them
 * written here, check channels, Publish/PublishStream, ManagedSubscribe, keepalive, errors with rpc ids, the tenant check and
 * changeOrigin.
 */
class PubSubNodeContractTest {
    private static final Path WORK = Path.of("target", "pubsub-contract");
    private static final Duration KEEPALIVE = Duration.ofSeconds(2);
    private static final int PUBSUB_PORT = FreePorts.any();
    private static final SalesforceEmulator ORG = new SalesforceEmulator(FreePorts.any(), PUBSUB_PORT,
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
    void foreignPubSubClientsAgreeWithTheEmulator() {
        String certificate = NodeClients.certificatePem(ORG.trustStore(), ORG.trustStorePassword(),
                WORK.resolve("sandbox-ca.pem")).toString();
        // one certificate serves the org's HTTPS (login) and its Pub/Sub TLS
        Map<String, String> env = Map.of("SF_LOGIN_URL", ORG.loginUrl(), "PUBSUB_ENDPOINT", "127.0.0.1:" + PUBSUB_PORT,
                "PUBSUB_CA", certificate, "NODE_EXTRA_CA_CERTS", certificate,
                "PLATFORM_EVENT", "/event/Order_Activated__e", "MANAGED_SUBSCRIPTION", "Account_Changes",
                "KEEPALIVE_MS", String.valueOf(KEEPALIVE.toMillis()));
        // node's test runner exits non-zero on any failed subtest; its report is in the exception
        System.out.println(NodeClients.run(List.of("node", "--test", "--test-concurrency=1",
                "pubsub/pubsub-contract.test.mjs"), env, 5));
        // the managed subscription's commit is kept by the org, not by the client
        assertThat(ORG.committedReplayId("Account_Changes")).isPositive();
    }
}
