package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/** What reaches the log file: JSON lines with the event's correlation id, no secrets, no e-mails or phone numbers. */
@QuarkusTest
class LogSecurityTest {
    private static final Path LOG = Path.of("target/revops-test.log");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant STARTED = Instant.now();

    @Inject
    Sandbox sandbox;
    @ConfigProperty(name = "billing.killbill.api-secret")
    String secret;

    @Test
    void secretsAndPersonalDataNeverReachTheLogs() throws Exception {
        Logger.getLogger(LogSecurityTest.class).warnf("Kill Bill refused api secret %s for billing@initech.example (+1 415 555 0199)",
                secret);

        JsonNode line = await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                .filter(l -> l.path("message").asText().startsWith("Kill Bill refused api secret")).findFirst().orElse(null),
                l -> l != null);
        assertThat(line.path("message").asText()).isEqualTo("Kill Bill refused api secret **** for b***@initech.example (*************99)");
        assertThat(Files.readString(LOG)).doesNotContain(secret).doesNotContain("billing@initech.example")
                .doesNotContain("415 555 0199");
    }

    @Test
    void aLoggedValueCannotForgeALine() {
        Logger.getLogger(LogSecurityTest.class).warnf("Kafka header ce_subject=%s", "ACME\r\n2026-12-01 INFO forged line");

        JsonNode line = await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream()
                .filter(l -> l.path("message").asText().startsWith("Kafka header ce_subject=")).findFirst().orElse(null),
                l -> l != null);
        assertThat(line.path("message").asText()).isEqualTo("Kafka header ce_subject=ACME\\r\\n2026-12-01 INFO forged line");
    }

    @Test
    void everyLineOfAnEventsWorkCarriesItsCorrelationId() {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String account = salesforce.create("Account", Map.of("Name", "Correlated Ltd", "CurrencyIsoCode", "USD"));

        List<String> routes = List.of("salesforce-account-inbound", "erp-account-sync", "billing-account-sync",
                "salesforce-account-writeback");
        List<JsonNode> hops = await().atMost(Duration.ofSeconds(30)).until(() -> lines().stream()
                .filter(l -> l.path("message").asText().contains(account)).toList(),
                lines -> lines.stream().map(l -> l.path("loggerName").asText()).toList().containsAll(routes));
        assertThat(hops).allSatisfy(hop -> {
            assertThat(hop.path("mdc").path("correlationId").asText()).as(hop.toString()).isNotBlank();
            assertThat(hop.path("mdc").path("businessKey").asText()).isEqualTo(account);
        });
        String created = hops.get(0).path("mdc").path("correlationId").asText();
        assertThat(hops).filteredOn(hop -> created.equals(hop.path("mdc").path("correlationId").asText()))
                .extracting(hop -> hop.path("loggerName").asText()).as("the create, followed by correlation id")
                .containsAll(routes);
    }

    /** The JSON lines logged since this test class started (the file outlives test runs). */
    private static List<JsonNode> lines() throws IOException {
        return Files.readAllLines(LOG).stream().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(l, e);
            }
        }).filter(l -> !Instant.parse(l.path("timestamp").asText()).isBefore(STARTED)).toList();
    }
}
