package io.revops.bridge.flows;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.Management;
import io.revops.bridge.testing.SandboxSalesforce;
import io.revops.bridge.testing.Sql;

/**
 * An ERP outage longer than redelivery would wait: the ERP circuit opens, the account events wait in Kafka instead
 * of filling the dead-letter store, billing keeps flowing, and once the ERP is back every event is applied once.
 */
@QuarkusTest
class ErpOutageTest {
    private static final Duration SYNC = Duration.ofSeconds(30);

    @Inject
    Sandbox sandbox;
    @Inject
    DataSource dataSource;

    @Test
    void theCircuitOpensEventsWaitInKafkaAndAreAppliedExactlyOnceAfterRecovery() throws Exception {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        long deadLettersBefore = erpDeadLetters();
        List<String> accounts = new ArrayList<>();
        sandbox.tryton().failNextCalls(Integer.MAX_VALUE, 503);
        try {
            for (String name : List.of("Tyrell", "Soylent", "Massive Dynamic", "Aperture")) {
                accounts.add(salesforce.create("Account", Map.of("Name", name, "CurrencyIsoCode", "USD")));
            }
            await().atMost(SYNC).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'circuits' }.data.erp", equalTo("OPEN")));
            // open (1) or, between the trial calls the pollers make after the open period, half-open (2): not closed
            assertThat(Management.given().get("/q/metrics").then().extract().asString())
                    .containsPattern("revops_circuit_state\\{system=\"erp\"} [12]\\.0");
            await().atMost(SYNC).until(() -> erpLag() >= accounts.size());

            // longer than the transient policy's 7 attempts (~16 s of backoff without a circuit would have
            // dead-lettered the first event by then at this point of the outage) and than one round of re-checks
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> erpDeadLetters() == deadLettersBefore);
            assertThat(accounts).as("billing is not held back by the ERP outage")
                    .allSatisfy(id -> assertThat(sandbox.killBill().accounts()).anyMatch(a -> id.equals(a.get("externalKey"))));
            assertThat(accounts).allSatisfy(id -> assertThat(partiesWithKey(id)).isEmpty());
        } finally {
            sandbox.tryton().failNextCalls(0, 503);
        }

        for (String id : accounts) {
            await().atMost(SYNC).until(() -> partiesWithKey(id).size() == 1);
            await().atMost(SYNC).until(() -> !salesforce.get("Account", id).path("ERP_Customer_Number__c").isNull());
        }
        await().atMost(SYNC).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(200));
        assertThat(accounts).allSatisfy(id -> assertThat(partiesWithKey(id)).hasSize(1));
        assertThat(erpDeadLetters()).isEqualTo(deadLettersBefore);
        await().atMost(SYNC).until(() -> erpLag() == 0);
        // lineage is written behind the routes (ops.LineageWriter): moments after the offsets
        await().atMost(SYNC).untilAsserted(() -> assertThat(Sql.rows(dataSource,
                "SELECT outcome FROM lineage WHERE business_key = ? AND route_id = ? ORDER BY at", accounts.get(0), "erp-account-sync"))
                .extracting(row -> row.get("outcome")).as("the first event was held in Kafka, then applied")
                .containsSubsequence("held", "applied"));
        Management.given().get("/q/metrics").then()
                .body(containsString("revops_sync_latency_seconds_count{route=\"erp-account-sync\"}"))
                .body(containsString("camel_exchanges_external_redeliveries_total{"))
                .body(containsString("camel_exchanges_failed_total{"))
                .body(containsString("camel_exchanges_total{")).body(containsString("camel_exchanges_inflight{"));
    }

    private static double erpLag() {
        String metrics = Management.given().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(l -> l.startsWith("revops_kafka_consumer_lag{group=\"erp-account-sync\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private long erpDeadLetters() throws Exception {
        return Sql.rows(dataSource, "SELECT id FROM dead_letter WHERE route_id = ?", "erp-account-sync").size();
    }

    private List<Map<String, Object>> partiesWithKey(String key) {
        return sandbox.tryton().parties().stream().filter(p -> ((List<?>) p.get("identifiers")).contains(key)).toList();
    }
}
