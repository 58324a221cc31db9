package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.SandboxSalesforce;

/** One call answers "where is this account and what happened to it", every hop in order. */
@QuarkusTest
class LineageTest {
    @Inject
    Sandbox sandbox;

    @Test
    void theLineageOfAnAccountListsEveryHopInOrder() {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        String account = salesforce.create("Account", Map.of("Name", "Lineage Labs", "CurrencyIsoCode", "USD"));

        // created -> published; applied by ERP and billing, skipped by the write-back; ERP publishes the customer number;
        // the write-back applies it, ERP and billing skip it (Salesforce's echo of the write-back is not published again)
        List<String> expected = List.of("erp-account-sync applied", "billing-account-sync applied", "erp-account-sync published",
                "salesforce-account-writeback applied", "salesforce-account-writeback skipped", "erp-account-sync skipped",
                "billing-account-sync skipped");
        List<Map<String, Object>> hops = await().atMost(Duration.ofSeconds(30)).until(() -> timeline(account),
                list -> hopNames(list).containsAll(expected));

        assertThat(hopNames(hops)).startsWith("salesforce-account-inbound published").containsAll(expected);
        assertThat(hops).extracting(h -> (String) h.get("at")).isSorted();
        String created = (String) hops.get(0).get("correlationId");
        JsonPath byCorrelation = given().auth().preemptive().basic("viewer", "viewer")
                .queryParam("correlationId", created).get("/api/v1/lineage").then().statusCode(200).extract().jsonPath();
        assertThat(byCorrelation.getList("routeId", String.class)).contains("salesforce-account-inbound",
                "erp-account-sync", "billing-account-sync", "salesforce-account-writeback");
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/lineage").then().statusCode(400);
    }

    private static List<String> hopNames(List<Map<String, Object>> hops) {
        return hops.stream().map(h -> h.get("routeId") + " " + h.get("outcome")).toList();
    }

    private static List<Map<String, Object>> timeline(String businessKey) {
        return given().auth().preemptive().basic("viewer", "viewer").queryParam("businessKey", businessKey)
                .get("/api/v1/lineage").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
