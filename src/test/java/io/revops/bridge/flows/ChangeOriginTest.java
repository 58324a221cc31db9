package io.revops.bridge.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.salesforce.ChangeEvents;
import io.revops.bridge.salesforce.ChangeOrigins;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.KafkaTopic;
import io.revops.bridge.testing.SandboxSalesforce;

/**
 * The runtime's own Salesforce writes come back as change events that name it: it sends Sforce-Call-Options
 * client=revops-bridge on every call, the org writes that into ChangeEventHeader.changeOrigin, and ChangeOrigins
 * tells those echoes from a user's changes: salesforce-account-inbound drops them, they never reach Kafka.
 */
@QuarkusTest
class ChangeOriginTest {
    private static final String ACCOUNTS = "/data/AccountChangeEvent";

    @Inject
    Sandbox sandbox;
    @Inject
    ChangeEvents changeEvents;
    @Inject
    ChangeOrigins changeOrigins;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theWriteBackOfTheErpCustomerNumberComesBackAsAChangeNamingTheRuntime() {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String id = salesforce.create("Account", Map.of("Name", "Echo Industries", "BillingCity", "Ghent"));

        await().atMost(Duration.ofSeconds(30)).until(() -> changeEventsOf(id).size() >= 2);
        List<Map<String, Object>> events = changeEventsOf(id);
        Map<String, Object> created = events.get(0);
        Map<String, Object> writeBack = events.stream().filter(e -> header(e).get("changeType").equals("UPDATE"))
                .filter(e -> ((List<?>) header(e).get("changedFields")).contains("ERP_Customer_Number__c"))
                .findFirst().orElseThrow();

        // the user's REST call named no client; the runtime's upsert named itself
        assertThat(header(created).get("changeOrigin")).isEqualTo("com/salesforce/api/rest/59.0");
        assertThat(header(writeBack).get("changeOrigin")).isEqualTo("com/salesforce/api/rest/59.0;client=revops-bridge");
        assertThat(changeOrigins.fromThisRuntime(created)).isFalse();
        assertThat(changeOrigins.fromThisRuntime(writeBack)).isTrue();
    }

    @Test
    void theEchoOfTheWriteBackIsNotPublishedWhileAUsersLaterChangeIs() throws Exception {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String id = salesforce.create("Account", Map.of("Name", "Echo Free Ltd", "BillingCity", "Leuven"));
        await().atMost(Duration.ofSeconds(30)).until(() -> changeEventsOf(id).stream()
                .anyMatch(e -> ((List<?>) header(e).get("changedFields")).contains("ERP_Customer_Number__c")));

        // the subscription delivers in order: once the user's later change is on Kafka, the echo before it was handled
        salesforce.update("Account", id, Map.of("Phone", "+32 16 00 00 00"));
        KafkaTopic topic = new KafkaTopic(bootstrap, "revops.account.v1");
        await().atMost(Duration.ofSeconds(30)).until(() -> fromSalesforce(topic, id).stream()
                .anyMatch(e -> e.header("ce_type").equals("revops.account.updated.v1")));

        assertThat(fromSalesforce(topic, id)).extracting(e -> e.header("ce_type"))
                .as("the create and the user's phone change; not the ERP customer number the runtime wrote back")
                .containsExactly("revops.account.created.v1", "revops.account.updated.v1");
        assertThat(new ObjectMapper().readTree(fromSalesforce(topic, id).get(1).value()).path("changedAttributes").toString())
                .isEqualTo("[\"phone\"]");
    }

    private static List<KafkaTopic.Event> fromSalesforce(KafkaTopic topic, String id) {
        return topic.readAll().stream().filter(e -> id.equals(e.key()))
                .filter(e -> e.header("ce_source").startsWith("/salesforce/")).toList();
    }

    private List<Map<String, Object>> changeEventsOf(String id) {
        return sandbox.salesforce().changeEventsOf(ACCOUNTS, id).stream().map((GenericRecord e) -> changeEvents.toJson(e))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(Map<String, Object> event) {
        return (Map<String, Object>) event.get("ChangeEventHeader");
    }
}
