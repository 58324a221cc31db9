package io.revops.bridge.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.Sandbox;
import io.revops.bridge.testing.Management;
import io.revops.bridge.testing.SandboxSalesforce;

/** What an operator sees of a hung ERP: the stuck exchange in the API, the metric and Hawtio's Jolokia. */
@QuarkusTest
class OperationsVisibilityTest {
    private static final String JOLOKIA = "http://127.0.0.1:" + ConfigProvider.getConfig()
            .getValue("quarkus.camel.jolokia.server.port", Integer.class) + "/jolokia/";

    @Inject
    Sandbox sandbox;

    @Test
    void jolokiaServesCamelMBeansOnlyToAuthenticatedClients() {
        Map<String, Object> read = Map.of("type", "read", "attribute", "State",
                "mbean", "org.apache.camel:context=revops-bridge,type=routes,name=\"erp-account-sync\"");
        given().contentType(ContentType.JSON).body(read).post(JOLOKIA).then().statusCode(401);
        jolokia().body(read).post(JOLOKIA).then().statusCode(200).body("value", equalTo("Started"));
        jolokia().body(Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage"))
                .post(JOLOKIA).then().statusCode(200).body("status", equalTo(200));
    }

    @Test
    void aBlockedExchangeShowsUpAsStuckInTheApiTheMetricAndOverJolokia() {
        SalesforceRest salesforce = SandboxSalesforce.login(sandbox.salesforce().loginUrl());
        sandbox.tryton().pause();
        try {
            String account = salesforce.create("Account", Map.of("Name", "Stuck & Co", "CurrencyIsoCode", "USD"));

            List<Map<String, Object>> stuck = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().preemptive()
                    .basic("viewer", "viewer").get("/api/v1/stuck-exchanges").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("$"), list -> list.stream().anyMatch(s -> account.equals(s.get("businessKey"))));
            assertThat(stuck).filteredOn(s -> account.equals(s.get("businessKey"))).singleElement().satisfies(s -> {
                assertThat(s.get("routeId")).isEqualTo("erp-account-sync");
                assertThat(((Number) s.get("ageMillis")).longValue()).isGreaterThanOrEqualTo(2000);
                // the step's own id from the route file (issue 10 item 9: not a generated "bean2")
                assertThat(s.get("step")).isEqualTo("upsert-erp-customer");
            });
            Management.given().get("/q/metrics").then().body(containsString("revops_stuck_exchanges"))
                    .body(org.hamcrest.Matchers.not(containsString("revops_stuck_exchanges 0.0")));
            jolokia().body(Map.of("type", "exec", "operation", "browse()",
                    "mbean", "org.apache.camel:context=revops-bridge,type=services,name=DefaultInflightRepository"))
                    .post(JOLOKIA).then().statusCode(200).body(containsString("upsert-erp-customer"));
        } finally {
            sandbox.tryton().resume();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/stuck-exchanges").then().extract().jsonPath().getList("$").isEmpty());
    }

    private static io.restassured.specification.RequestSpecification jolokia() {
        return given().auth().preemptive().basic("hawtio", "hawtio").contentType(ContentType.JSON);
    }
}
